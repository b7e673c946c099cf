package org.opentrade.launcher.docs;

import org.opentrade.launcher.contract.OpenApiContract;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in the repository's Markdown points at a file of the repository: a clone must
 * be able to follow every link, so none may lead outside the root (to files a clone does not have) or
 * to a file that was moved or deleted. Anchors are not checked. bench/results/ holds dated reports kept as
 * they were written and is left out. No network: links with a scheme (https:, mailto:) are skipped.
 */
class MarkdownLinksTest {
    private static final String EXCLUDED = "bench/results/";
    /** {@code [text](target "title")} and {@code ![alt](target)}; the target optionally in angle brackets. */
    private static final Pattern INLINE = Pattern.compile("\\]\\(\\s*(<[^>]*>|[^)\\s]+)(?:\\s+[\"'(][^)]*)?\\)");
    /** A reference definition: {@code [id]: target}. */
    private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*(<[^>]*>|\\S+)");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");

    private static Path root;
    private static List<Path> markdown;

    @BeforeAll
    static void listMarkdown() throws IOException, InterruptedException {
        root = OpenApiContract.repositoryRoot().toRealPath();
        markdown = tracked("*.md").stream()
                .filter(p -> !root.relativize(p).toString().replace('\\', '/').startsWith(EXCLUDED))
                .toList();
    }

    @Test
    void theRepositoryHasMarkdown() {
        assertTrue(markdown.contains(root.resolve("README.md")), "README.md is among " + markdown);
    }

    @Test
    void everyRelativeLinkPointsToAFileInTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : markdown) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (Link link : links(lines)) {
                String problem = check(file, link.target());
                if (problem != null) {
                    broken.add(root.relativize(file) + ":" + link.line() + ": (" + link.target() + ") " + problem);
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void linksOutsideTheRootOrToMissingFilesAreFound() {
        Path readme = root.resolve("README.md");
        assertEquals("points outside the repository", check(readme, "../shared/DESIGN.md"));
        assertEquals("points outside the repository", check(readme, "file:///etc/hosts"));
        assertEquals("no such file", check(readme, "docs/no-such-page.md#top"));
        assertEquals(null, check(readme, "docs/errors.md#-1xxx-request-validation"));
        assertEquals(null, check(readme, "https://example.com/x.md"));
        List<String> targets = links(List.of("see [a](x.md \"t\"), ![b](<y z.png>), `[c](not-a-link.md)`",
                "```", "[d](inside-a-fence.md)", "```", "[e]: ref.md")).stream().map(Link::target).toList();
        assertEquals(List.of("x.md", "y z.png", "ref.md"), targets);
    }

    private record Link(int line, String target) {
    }

    /** The link targets of one Markdown file, outside fenced code blocks and code spans. */
    static List<Link> links(List<String> lines) {
        List<Link> out = new ArrayList<>();
        String fence = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher f = FENCE.matcher(line);
            if (f.find()) {
                String marker = f.group(1);
                if (fence == null) {
                    fence = marker;
                    continue;
                }
                if (marker.charAt(0) == fence.charAt(0) && marker.length() >= fence.length()) {
                    fence = null;
                    continue;
                }
            }
            if (fence != null) {
                continue;
            }
            String text = CODE_SPAN.matcher(line).replaceAll("code");
            Matcher m = INLINE.matcher(text);
            while (m.find()) {
                out.add(new Link(i + 1, unbracket(m.group(1))));
            }
            Matcher r = REFERENCE.matcher(text);
            if (r.find()) {
                out.add(new Link(i + 1, unbracket(r.group(1))));
            }
        }
        return out;
    }

    /** Null when the target is fine, else what is wrong with it. */
    static String check(Path file, String target) {
        if (target.startsWith("file:")) {
            return "points outside the repository";
        }
        if (target.isEmpty() || target.startsWith("#") || SCHEME.matcher(target).find()) {
            return null;
        }
        String path = target.replaceFirst("[#?].*$", "");
        path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        Path resolved = (path.startsWith("/") ? root.resolve(path.substring(1)) : file.getParent().resolve(path))
                .normalize();
        if (!resolved.startsWith(root)) {
            return "points outside the repository";
        }
        return Files.exists(resolved) ? null : "no such file";
    }

    private static String unbracket(String target) {
        return target.startsWith("<") && target.endsWith(">") ? target.substring(1, target.length() - 1) : target;
    }

    /** The files git tracks that match {@code glob}; without git, every such file outside build output. */
    private static List<Path> tracked(String glob) throws IOException, InterruptedException {
        if (Files.exists(root.resolve(".git"))) {
            try {
                Process git = new ProcessBuilder("git", "ls-files", "-z", "--", glob).directory(root.toFile())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                byte[] out = git.getInputStream().readAllBytes();
                if (git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0) {
                    List<Path> files = new ArrayList<>();
                    for (String name : new String(out, StandardCharsets.UTF_8).split("\0")) {
                        if (!name.isEmpty()) {
                            files.add(root.resolve(name));
                        }
                    }
                    return files;
                }
                git.destroy();
            } catch (IOException noGit) {
                // git is not installed: fall through to walking the tree
            }
        }
        String suffix = glob.substring(1);
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p))
                    .filter(p -> {
                        for (Path part : root.relativize(p)) {
                            String n = part.toString();
                            if (n.equals("target") || n.equals("node_modules") || n.startsWith(".")) {
                                return false;
                            }
                        }
                        return true;
                    }).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}

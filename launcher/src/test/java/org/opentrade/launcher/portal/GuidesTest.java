package org.opentrade.launcher.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opentrade.launcher.contract.OpenApiContract;

/**
 * The portal's guides show the tested examples: every {@code <pre><code data-example="NAME">} block
 * of portal-static/guides/*.html is, once HTML-unescaped, exactly the README's quick-start block
 * after {@code <!-- quickstart: NAME -->} (which ReadmeQuickstartIT and the SDK tests run), and each
 * README block is shown by some guide. Also the page frame every guide needs.
 */
class GuidesTest {
    private static final Pattern MARKER = Pattern.compile("<!-- quickstart: (\\w+) -->");
    private static final Pattern EXAMPLE = Pattern.compile("<pre><code data-example=\"(\\w+)\">(.*?)</code></pre>", Pattern.DOTALL);

    /** The README's quick-start blocks by marker name: the fenced block's text after each marker. */
    static Map<String, String> readmeBlocks(String readme) {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = MARKER.matcher(readme);
        while (m.find()) {
            int fence = readme.indexOf("```", m.end());
            int start = readme.indexOf('\n', fence) + 1;
            int end = readme.indexOf("\n```", start);
            assertTrue(fence >= 0 && end > start, "a fenced block follows " + m.group());
            blocks.put(m.group(1), readme.substring(start, end + 1));
        }
        return blocks;
    }

    /** A guide's example blocks: [name, text] in page order, the text HTML-unescaped. */
    static List<String[]> guideExamples(String html) {
        List<String[]> examples = new ArrayList<>();
        Matcher m = EXAMPLE.matcher(html);
        while (m.find()) {
            examples.add(new String[] {m.group(1), unescape(m.group(2))});
        }
        return examples;
    }

    /** The five entities an escaped text block may hold (&amp; last, so "&amp;lt;" stays "&lt;"). */
    static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    private static Path guides() {
        return OpenApiContract.repositoryRoot().resolve("portal-static/guides");
    }

    private static List<Path> guideFiles() throws IOException {
        try (Stream<Path> files = Files.list(guides())) {
            return files.filter(p -> p.toString().endsWith(".html")).sorted().toList();
        }
    }

    @Test
    void everyGuideExampleIsTheReadmesTestedBlockAndEveryBlockIsShown() throws IOException {
        Map<String, String> readme = readmeBlocks(Files.readString(OpenApiContract.repositoryRoot().resolve("README.md")));
        assertEquals(List.of("curl", "java", "python", "fix"), List.copyOf(readme.keySet()), "the README's quick starts");
        Map<String, Integer> shown = new LinkedHashMap<>();
        for (Path guide : guideFiles()) {
            for (String[] example : guideExamples(Files.readString(guide))) {
                String name = example[0];
                assertTrue(readme.containsKey(name), guide.getFileName() + ": no README quick start named " + name);
                assertEquals(readme.get(name), example[1],
                        guide.getFileName() + ": the " + name + " example differs from the README's tested block");
                shown.merge(name, 1, Integer::sum);
            }
        }
        assertEquals(readme.keySet(), shown.keySet(), "each README quick start is shown by a guide");
    }

    @Test
    void eachGuideHasTheShellTheGuideModuleAndTheFavicon() throws IOException {
        List<Path> files = guideFiles();
        assertEquals(List.of("fix.html", "rest.html", "sdk.html", "websocket.html"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        for (Path guide : files) {
            String html = Files.readString(guide);
            assertTrue(html.contains("<header id=\"shell\" class=\"shell\"></header>"), guide + ": the shell header");
            assertTrue(html.contains("<script type=\"module\" src=\"/assets/guide.js\"></script>"), guide + ": guide.js");
            assertTrue(html.contains("<link rel=\"icon\" href=\"/favicon.svg\""), guide + ": the favicon");
            assertFalse(html.matches("(?s).*<script(?![^>]*\\bsrc=).*"), guide + ": no inline script (CSP)");
            assertFalse(html.contains(" style=\"") || html.contains("<style"), guide + ": no inline style (CSP)");
        }
    }

    @Test
    void extractionFindsADifferenceAndUnescapes() {
        String readme = "x\n<!-- quickstart: curl -->\n```bash\necho '<a & b>'\n```\n";
        Map<String, String> blocks = readmeBlocks(readme);
        assertEquals("echo '<a & b>'\n", blocks.get("curl"));
        List<String[]> same = guideExamples("<pre><code data-example=\"curl\">echo '&lt;a &amp; b&gt;'\n</code></pre>");
        assertEquals(blocks.get("curl"), same.get(0)[1]);
        List<String[]> other = guideExamples("<pre><code data-example=\"curl\">echo '&lt;a &amp;amp; b&gt;'\n</code></pre>");
        assertFalse(blocks.get("curl").equals(other.get(0)[1]), "a changed example is not the README's");
    }
}

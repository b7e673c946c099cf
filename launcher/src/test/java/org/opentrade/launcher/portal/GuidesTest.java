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
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opentrade.launcher.contract.OpenApiContract;

/**
 * The portal's guides show the tested examples: every {@code <pre><code data-example="NAME">} block
 * of portal-static/guides/*.html and guides/zh/*.html is, once HTML-unescaped, exactly the README's
 * quick-start block after {@code <!-- quickstart: NAME -->} (which ReadmeQuickstartIT and the SDK tests
 * run), and each README block is shown by some guide. Also the page frame every guide needs, and the
 * 简体中文 guides: each English guide has guides/zh/NAME.html (and there is no other), with the same
 * element ids in the same order, the same stylesheets, scripts and main, the same {@code <pre>} blocks
 * byte for byte and a Chinese h1; guide.js switches between the two by their {@code <html lang>}.
 */
class GuidesTest {
    private static final Pattern MARKER = Pattern.compile("<!-- quickstart: (\\w+) -->");
    private static final Pattern EXAMPLE = Pattern.compile("<pre><code data-example=\"(\\w+)\">(.*?)</code></pre>", Pattern.DOTALL);
    private static final Pattern ID = Pattern.compile("\\sid=\"([^\"]*)\"");
    private static final Pattern PRE = Pattern.compile("<pre>.*?</pre>", Pattern.DOTALL);
    private static final Pattern H1 = Pattern.compile("<h1>(.*?)</h1>", Pattern.DOTALL);
    private static final Pattern FRAME = Pattern.compile("<(?:link|script|main|body)\\b[^>]*>");
    private static final Pattern GUIDE_LINK = Pattern.compile("href=\"/guides/([^\"#?]*)");

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

    /** A page's element ids in document order: its sections and anything else a link may point at. */
    static List<String> ids(String html) {
        return ID.matcher(html).results().map(r -> r.group(1)).toList();
    }

    /** A page's frame: its stylesheets, icon, scripts and the body and main tags (so the same look). */
    static List<String> frame(String html) {
        return FRAME.matcher(html).results().map(MatchResult::group).toList();
    }

    /** A page's {@code <pre>} blocks as written (still escaped), in order. */
    static List<String> preBlocks(String html) {
        return PRE.matcher(html).results().map(MatchResult::group).toList();
    }

    private static boolean hasHan(String s) {
        return s.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    private static String h1(Path page, String html) {
        Matcher m = H1.matcher(html);
        assertTrue(m.find(), page + ": an h1");
        return m.group(1);
    }

    private static Path guides() {
        return OpenApiContract.repositoryRoot().resolve("portal-static/guides");
    }

    /** The English guides: guides/*.html. */
    private static List<Path> guideFiles() throws IOException {
        return htmlIn(guides());
    }

    /** The 简体中文 guides: guides/zh/*.html (none if the folder is missing). */
    private static List<Path> chineseGuideFiles() throws IOException {
        return htmlIn(guides().resolve("zh"));
    }

    private static List<Path> allGuideFiles() throws IOException {
        List<Path> all = new ArrayList<>(guideFiles());
        all.addAll(chineseGuideFiles());
        return all;
    }

    private static List<Path> htmlIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".html")).sorted().toList();
        }
    }

    private static List<String> fileNames(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString()).toList();
    }

    /** guides/NAME.html or guides/zh/NAME.html, for messages. */
    private static String name(Path guide) {
        return guides().relativize(guide).toString();
    }

    @Test
    void everyGuideExampleIsTheReadmesTestedBlockAndEveryBlockIsShown() throws IOException {
        Map<String, String> readme = readmeBlocks(Files.readString(OpenApiContract.repositoryRoot().resolve("README.md")));
        assertEquals(List.of("curl", "java", "python", "fix"), List.copyOf(readme.keySet()), "the README's quick starts");
        Map<String, Integer> shownEnglish = new LinkedHashMap<>();
        Map<String, Integer> shownChinese = new LinkedHashMap<>();
        for (Path guide : allGuideFiles()) {
            boolean chinese = !guide.getParent().equals(guides());
            for (String[] example : guideExamples(Files.readString(guide))) {
                String name = example[0];
                assertTrue(readme.containsKey(name), name(guide) + ": no README quick start named " + name);
                assertEquals(readme.get(name), example[1],
                        name(guide) + ": the " + name + " example differs from the README's tested block");
                (chinese ? shownChinese : shownEnglish).merge(name, 1, Integer::sum);
            }
        }
        assertEquals(readme.keySet(), shownEnglish.keySet(), "each README quick start is shown by an English guide");
        assertEquals(readme.keySet(), shownChinese.keySet(), "each README quick start is shown by a 简体中文 guide");
    }

    @Test
    void eachGuideHasTheShellTheGuideModuleTheFaviconAndItsLanguage() throws IOException {
        assertEquals(List.of("fix.html", "rest.html", "sdk.html", "websocket.html"), fileNames(guideFiles()));
        assertEquals(fileNames(guideFiles()), fileNames(chineseGuideFiles()),
                "each English guide has its 简体中文 version in guides/zh/, and there is no other");
        for (Path guide : allGuideFiles()) {
            String html = Files.readString(guide);
            String lang = guide.getParent().equals(guides()) ? "en" : "zh-CN";
            assertTrue(html.contains("<html lang=\"" + lang + "\">"), guide + ": <html lang=\"" + lang + "\"> (guide.js reads it)");
            assertTrue(html.contains("<header id=\"shell\" class=\"shell\"></header>"), guide + ": the shell header");
            assertTrue(html.contains("<script type=\"module\" src=\"/assets/guide.js\"></script>"), guide + ": guide.js");
            assertTrue(html.contains("<link rel=\"icon\" href=\"/favicon.svg\""), guide + ": the favicon");
            assertFalse(html.matches("(?s).*<script(?![^>]*\\bsrc=).*"), guide + ": no inline script (CSP)");
            assertFalse(html.contains(" style=\"") || html.contains("<style"), guide + ": no inline style (CSP)");
        }
    }

    @Test
    void eachChineseGuideHasTheEnglishSectionsAndCodeBlocksAndAChineseTitle() throws IOException {
        for (Path english : guideFiles()) {
            Path chinese = guides().resolve("zh").resolve(english.getFileName());
            assertTrue(Files.isRegularFile(chinese), "the 简体中文 version of " + name(english) + " is missing: " + chinese);
            String en = Files.readString(english);
            String zh = Files.readString(chinese);
            assertFalse(ids(en).isEmpty(), name(english) + ": has sections");
            assertEquals(ids(en), ids(zh), name(chinese) + ": the English guide's ids (sections, anchors) in the same order");
            assertEquals(frame(en), frame(zh), name(chinese) + ": the English guide's stylesheets, scripts and main");
            assertEquals(preBlocks(en), preBlocks(zh), name(chinese) + ": the English guide's code blocks, byte for byte");
            assertTrue(hasHan(h1(chinese, zh)), name(chinese) + ": a Chinese h1, not " + h1(chinese, zh));
            assertFalse(hasHan(h1(english, en)), name(english) + ": an English h1, not " + h1(english, en));
        }
    }

    @Test
    void everyLinkToAGuideFindsItsFile() throws IOException {
        for (Path guide : allGuideFiles()) {
            Matcher m = GUIDE_LINK.matcher(Files.readString(guide));
            while (m.find()) {
                assertTrue(Files.isRegularFile(guides().resolve(m.group(1))), name(guide) + ": a link to a missing guide, " + m.group());
            }
        }
    }

    @Test
    void idsAndCodeBlocksTellPagesApart() {
        assertEquals(List.of("shell", "quick-start", "errors"), ids("<header id=\"shell\"></header>"
                + "<section id=\"quick-start\"><p data-id=\"x\"></p></section><section id=\"errors\">"));
        assertFalse(ids("<section id=\"a\"><section id=\"b\">").equals(ids("<section id=\"b\"><section id=\"a\">")),
                "the order counts");
        assertEquals(List.of("<pre>a\n&lt;b&gt;</pre>", "<pre><code>c</code></pre>"),
                preBlocks("<p>x</p><pre>a\n&lt;b&gt;</pre><p>y</p><pre><code>c</code></pre>"));
        assertFalse(preBlocks("<pre>a &lt;key id&gt;</pre>").equals(preBlocks("<pre>a &lt;密钥 id&gt;</pre>")),
                "a translated code block is a different one");
        assertEquals(List.of("<link rel=\"stylesheet\" href=\"/a.css\">", "<main class=\"guide\">"),
                frame("<head><link rel=\"stylesheet\" href=\"/a.css\"><title>x</title></head><main class=\"guide\"><p>y</p></main>"));
        assertTrue(hasHan("REST API 指南"));
        assertFalse(hasHan("REST API guide"));
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

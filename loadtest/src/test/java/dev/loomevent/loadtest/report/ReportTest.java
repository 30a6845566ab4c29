package dev.loomevent.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loomevent.loadtest.JsonParser;
import dev.loomevent.loadtest.client.ClientTransports;
import dev.loomevent.loadtest.scenario.LoadRun;
import dev.loomevent.loadtest.scenario.ProgressListener;
import dev.loomevent.loadtest.scenario.Scenario;
import dev.loomevent.loadtest.scenario.ScenarioConfig;
import dev.loomevent.loadtest.target.RunningTarget;
import dev.loomevent.loadtest.target.TargetOptions;
import dev.loomevent.loadtest.target.Targets;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The JSON and HTML reports of a two-target comparison, parsed back. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReportTest {
    private static Report report;

    @BeforeAll
    static void compareTwoTargets() {
        ScenarioConfig c = ScenarioConfig.defaults(Scenario.PINGPONG).withConnections(4).withMessages(200)
                .withTime(Duration.ofSeconds(30), Duration.ZERO);
        List<RunResult> runs = new java.util.ArrayList<>();
        for (String t : List.of("java", "netty-nio")) {
            try (RunningTarget target = Targets.start(t, TargetOptions.inProcessDefaults())) {
                runs.add(LoadRun.run(c, target, ClientTransports.create("socket", 256), ProgressListener.NONE));
            }
        }
        report = Report.of("loadtest compare --targets java,netty-nio", runs);
    }

    @SuppressWarnings("unchecked")
    @Test
    void jsonHoldsEveryRunWithCountsPercentilesTimelineAndRatios() {
        Map<String, Object> root = (Map<String, Object>) JsonParser.parse(report.toJson());
        assertThat(root).containsEntry("failed", false).containsEntry("baseline", "java");
        List<Object> runs = (List<Object>) root.get("runs");
        assertThat(runs).hasSize(2);
        Map<String, Object> netty = (Map<String, Object>) runs.get(1);
        assertThat(netty).containsEntry("target", "netty-nio").containsEntry("scenario", "pingpong");
        Map<String, Object> part = (Map<String, Object>) ((List<Object>) netty.get("parts")).get(0);
        assertThat(part).containsEntry("messages", 800.0).containsEntry("bytes", 800.0 * 64);
        Map<String, Object> latency = (Map<String, Object>) part.get("latencyMicros");
        assertThat(latency).containsKeys("p50", "p99", "p99.9", "max").containsEntry("count", 800.0);
        assertThat((List<Object>) ((Map<String, Object>) part.get("percentileDistribution")).get("rows")).isNotEmpty();
        assertThat((List<Object>) ((Map<String, Object>) part.get("timeline")).get("rows")).isNotEmpty();
        assertThat((Map<String, Object>) part.get("ratio")).containsEntry("to", "java").containsKey("messagesPerSecond");
        Map<String, Object> client = (Map<String, Object>) netty.get("client");
        assertThat(client).containsKeys("cpuCores", "bottleneck").containsEntry("transport", "socket");
        List<Object> meters = (List<Object>) netty.get("serverMetrics");
        assertThat(meters).extracting(m -> ((Map<String, Object>) m).get("name")).contains("loomevent.bases", "jvm.memory.used");
    }

    @Test
    void htmlIsWellFormedWithSummaryChartsAndMetrics() throws Exception {
        String html = HtmlReport.render(report);
        assertThat(html).doesNotContain("<script src").doesNotContain("http://cdn").doesNotContain("https://");
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        Element summary = byId(doc, "table", "summary");
        assertThat(summary).isNotNull();
        assertThat(summary.getElementsByTagName("tr").getLength()).isEqualTo(1 + 2);
        NodeList svgs = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
        assertThat(svgs.getLength()).isEqualTo(4); // percentiles, throughput, p99 over time, CPU
        NodeList lines = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
        assertThat(lines.getLength()).isGreaterThanOrEqualTo(2 * 3);
        assertThat(html).contains("latency by percentile").contains("99.9%").contains("messages/s over time");
        assertThat(doc.getElementsByTagName("details").getLength()).isEqualTo(2);
        assertThat(html).contains("loomevent.bases");
    }

    private static Element byId(Document doc, String tag, String id) {
        NodeList l = doc.getElementsByTagName(tag);
        for (int i = 0; i < l.getLength(); i++) {
            Element e = (Element) l.item(i);
            if (id.equals(e.getAttribute("id"))) {
                return e;
            }
        }
        return null;
    }

    @Test
    void summaryTextNamesBaselineAndRatios() {
        String text = SummaryTable.text(report);
        assertThat(text).contains("baseline").contains("msg/s").contains("x p99");
    }

    @Test
    void meterLinesRoundTrip() {
        MeterSnapshot m = new MeterSnapshot("loomevent.bytes.read", "counter", "bytes",
                Map.of("base", "echo, the=first"), Map.of("COUNT", 12345.0));
        assertThat(MeterSnapshot.parseLine(m.toLine())).isEqualTo(m);
    }
}

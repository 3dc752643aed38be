package dev.talktoserver.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.talktoserver.support.JdkTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard in the repository asks only for series that the service publishes.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DashboardTests {

	private static final Path DASHBOARD = Path.of("deploy/grafana/talk-dashboard.json");

	@LocalServerPort
	private int port;

	@Test
	void everyTalkSeriesTheDashboardQueriesIsPublished() throws Exception {
		// Some series appear only once something has happened: a close, a refused handshake.
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		client.roundTrip("hello");
		client.close();
		client.awaitClose();
		JdkTestClient.refusedStatus(this.port, "/talk-to-server", "https://elsewhere.example");

		Set<String> queried = seriesNames(Files.readString(DASHBOARD));
		assertThat(queried).isNotEmpty();
		// The close is counted just after the client has the server's close frame.
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			String scrape = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/prometheus"))
					.build(), HttpResponse.BodyHandlers.ofString())
				.body();
			for (String series : queried) {
				assertThat(scrape).as("series %s queried by %s", series, DASHBOARD)
					.containsPattern("(?m)^" + series + "\\{");
			}
		});
	}

	private static Set<String> seriesNames(String dashboard) {
		Set<String> names = new TreeSet<>();
		Matcher matcher = Pattern.compile("\\b(talk_[a-z_]+)\\{").matcher(dashboard);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

}

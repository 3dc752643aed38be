package dev.talktoserver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the actuator shows over HTTP: health with its probe groups, build and git info, metrics, and
 * nothing else.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ActuatorTests {

	@LocalServerPort
	private int port;

	private final HttpClient http = HttpClient.newHttpClient();

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness" })
	void healthAndProbesAnswerUp(String path) throws Exception {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"UP\"");
	}

	@Test
	void infoShowsBuildAndJava() throws Exception {
		HttpResponse<String> response = get("/actuator/info");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"artifact\":\"talk-to-server\"").contains("\"java\"");
	}

	@Test
	void healthShowsItsDetailsToOperatorsOnly() throws Exception {
		// Who may see them: JwtAccessTests, with a token from an identity provider.
		assertThat(get("/actuator/health").body()).contains("\"status\":\"UP\"")
			.doesNotContain("components", "details", "activeSessions");
	}

	@Test
	void infoShowsTheGitCommitWhenBuiltFromACheckout() throws Exception {
		assertThat(get("/actuator/info").body()).containsPattern("\"git\":\\{.*\"commit\":\\{\"id\":\"[0-9a-f]{7}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/metrics", "/actuator/metrics/talk.sessions.active", "/actuator/prometheus" })
	void metricsAreExposed(String path) throws Exception {
		assertThat(get(path).statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/env", "/actuator/beans", "/actuator/heapdump", "/actuator/shutdown" })
	void otherEndpointsAreNotExposed(String path) throws Exception {
		assertThat(get(path).statusCode()).isEqualTo(404);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}

package dev.talktoserver.observability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recommended production layout: actuator on a port of its own ({@code management.server.port}),
 * the WebSocket port serving the endpoints only.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class ManagementPortTests {

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void metricsAndHealthAnswerOnTheManagementPort() throws Exception {
		assertThat(status(this.managementPort, "/actuator/prometheus")).isEqualTo(200);
		assertThat(status(this.managementPort, "/actuator/health/readiness")).isEqualTo(200);
	}

	@Test
	void actuatorIsNotOnTheWebSocketPort() throws Exception {
		assertThat(status(this.port, "/actuator/prometheus")).isEqualTo(404);
		assertThat(status(this.port, "/actuator/health")).isEqualTo(404);
	}

	private int status(int port, String path) throws Exception {
		return this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

}

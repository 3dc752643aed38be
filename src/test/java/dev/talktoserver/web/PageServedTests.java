package dev.talktoserver.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser page over plain HTTP, without a browser: served at {@code /} with its script and
 * stylesheet, and loading nothing from anywhere else, so that it works offline.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PageServedTests {

	private static final Pattern LINK = Pattern.compile("(?:src|href)=\"([^\"]*)\"");

	@LocalServerPort
	private int port;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void rootServesThePage() throws Exception {
		HttpResponse<String> response = get("/");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/html"));
		assertThat(response.body()).contains("<title>Talk to server</title>");
	}

	@ParameterizedTest
	@CsvSource({ "/talk.js, text/javascript", "/talk.css, text/css" })
	void scriptAndStylesheetAreServed(String path, String type) throws Exception {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(value) -> assertThat(value).startsWith(type));
	}

	@Test
	void pageLoadsNothingFromOtherSites() throws Exception {
		Matcher links = LINK.matcher(get("/").body());
		int count = 0;
		while (links.find()) {
			assertThat(links.group(1)).as("link %s", links.group()).doesNotContain("//");
			count++;
		}
		assertThat(count).as("links in the page").isGreaterThanOrEqualTo(2);
	}

	private HttpResponse<String> get(String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Accept", "text/html,*/*")
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}

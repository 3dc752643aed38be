package dev.talktoserver.server;

import dev.talktoserver.support.CompressingClient;
import dev.talktoserver.support.CompressingClient.Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code talk.compression.enabled}, compressing clients that nobody here wrote, each with its own
 * permessage-deflate and context takeover both ways, as browsers do: every message up to 4 MiB comes
 * back from {@code /echo} byte for byte, and {@code /talk-to-server} answers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "talk.compression.enabled=true")
class CompressingClientsTests {

	@LocalServerPort
	private int port;

	@ParameterizedTest
	@EnumSource(CompressingClient.class)
	void compressingClientGetsEveryMessageBackExactly(CompressingClient client) throws Exception {
		Result result = client.talkTo(this.port, true);
		assertThat(result.passed()).as("%s:%n%s", client, result.output()).isTrue();
	}

}

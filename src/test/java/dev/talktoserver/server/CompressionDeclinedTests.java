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
 * With the shipped default ({@code talk.compression.enabled=false}), clients that offer compression
 * have it declined in the handshake and talk uncompressed: every message still comes back exactly.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class CompressionDeclinedTests {

	@LocalServerPort
	private int port;

	@ParameterizedTest
	@EnumSource(CompressingClient.class)
	void compressingClientIsDeclinedAndStillGetsEveryMessageBack(CompressingClient client) throws Exception {
		Result result = client.talkTo(this.port, false);
		assertThat(result.passed()).as("%s:%n%s", client, result.output()).isTrue();
	}

}

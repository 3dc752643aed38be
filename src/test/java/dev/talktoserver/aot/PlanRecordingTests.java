package dev.talktoserver.aot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.talktoserver.TalkApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplicationAotProcessor;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.context.aot.AbstractAotProcessor.Settings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring's own AOT processing of this application, as {@code -Pspring-aot} runs it at build time (in
 * this JVM, into a temporary folder): the plan comes with the settings it was made with.
 */
class PlanRecordingTests {

	@Test
	void thePlanRecordsTheSettingsThatDecideWhichBeansExist(@TempDir Path output) throws IOException {
		PlannedSettings planned = plan(output);
		assertThat(planned.values())
			.containsEntry("management.endpoints.web.exposure.include", "health,info,metrics,prometheus")
			.containsEntry("server.forward-headers-strategy", "native")
			.doesNotContainKeys(SettingsReadWhilePlanning.NOT_DECIDING.toArray(String[]::new))
			.doesNotContainKeys("logging.level.root", "talk.reply");
		// A JWT issuer decides whether the resource server's decoder exists: a plan made without one must
		// not start a server that was given one, and checks no token.
		assertThat(planned.values()).containsKeys("spring.security.oauth2.resourceserver.jwt.issuer-uri",
				"spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
				"spring.security.oauth2.resourceserver.jwt.public-key-location");
		assertThat(planned.profiles()).isEmpty();
		assertThat(planned.managementPort()).isEqualTo(ManagementPortType.SAME);
		assertThat(System.getProperty(PlanRecording.AOT_PROCESSING)).isNull();
	}

	@Test
	void aPlanMadeWithAManagementPortOfItsOwnSaysSo(@TempDir Path output) throws IOException {
		assertThat(plan(output, "--management.server.port=9091").managementPort())
			.isEqualTo(ManagementPortType.DIFFERENT);
	}

	private static PlannedSettings plan(Path output, String... args) throws IOException {
		Settings settings = Settings.builder()
			.sourceOutput(output.resolve("sources"))
			.resourceOutput(output.resolve("resources"))
			.classOutput(output.resolve("classes"))
			.groupId("dev.talktoserver")
			.artifactId("talk-to-server")
			.build();
		String[] arguments = new String[args.length + 1];
		arguments[0] = "--spring.main.banner-mode=off";
		System.arraycopy(args, 0, arguments, 1, args.length);
		new SpringApplicationAotProcessor(TalkApplication.class, settings, arguments).process();

		Path file = output.resolve("resources").resolve(PlannedSettings.RESOURCE);
		assertThat(file).exists();
		try (InputStream input = Files.newInputStream(file)) {
			return PlannedSettings.read(input);
		}
	}

}

package dev.talktoserver.aot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.talktoserver.TalkApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplicationAotProcessor;
import org.springframework.context.aot.AbstractAotProcessor.Settings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring's own AOT processing of this application, as {@code -Pspring-aot} runs it at build time (in
 * this JVM, into a temporary folder): the plan comes with the settings it was made with.
 */
class PlanRecordingTests {

	@Test
	void thePlanRecordsTheSettingsThatDecideWhichBeansExist(@TempDir Path output) throws IOException {
		Settings settings = Settings.builder()
			.sourceOutput(output.resolve("sources"))
			.resourceOutput(output.resolve("resources"))
			.classOutput(output.resolve("classes"))
			.groupId("dev.talktoserver")
			.artifactId("talk-to-server")
			.build();
		new SpringApplicationAotProcessor(TalkApplication.class, settings,
				new String[] { "--spring.main.banner-mode=off" })
			.process();

		Path file = output.resolve("resources").resolve(PlannedSettings.RESOURCE);
		assertThat(file).exists();
		PlannedSettings planned;
		try (InputStream input = Files.newInputStream(file)) {
			planned = PlannedSettings.read(input);
		}
		assertThat(planned.values())
			.containsEntry("management.endpoints.web.exposure.include", "health,info,metrics,prometheus")
			.containsEntry("management.server.port", null)
			.containsEntry("server.forward-headers-strategy", "native")
			.doesNotContainKeys(SettingsReadWhilePlanning.NOT_DECIDING.toArray(String[]::new))
			.doesNotContainKeys("logging.level.root", "talk.reply");
		assertThat(planned.profiles()).isEmpty();
		assertThat(System.getProperty(PlanRecording.AOT_PROCESSING)).isNull();
	}

}

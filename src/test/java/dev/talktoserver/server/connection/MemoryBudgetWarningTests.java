package dev.talktoserver.server.connection;

import java.util.Map;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.observability.TalkMetrics;
import dev.talktoserver.server.send.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At start, a WARN line when {@code talk.max-connections} connections at their worst would not fit the
 * memory budget, saying what to change; none when they fit.
 */
@ExtendWith(OutputCaptureExtension.class)
class MemoryBudgetWarningTests {

	@Test
	void capThatDoesNotFitTheBudgetIsWarnedAboutWithWhatToChange(CapturedOutput output) {
		budget(Map.of("talk.memory-budget", "100MB"));
		assertThat(output.getOut()).contains("WARN")
			.contains("talk.max-connections (10000) times the most one connection can hold (38 KB) is 374 MB, "
					+ "more than the memory budget of 100 MB (talk.memory-budget)")
			.contains("Raise talk.memory-budget, or lower talk.max-connections to 2667");
	}

	@Test
	void compressionCountsInTheWorstCase(CapturedOutput output) {
		budget(Map.of("talk.memory-budget", "1GB", "talk.compression.enabled", "true"));
		assertThat(output.getOut()).contains("the most one connection can hold (170 KB) is 1663 MB");
	}

	@Test
	void capThatFitsIsNotWarnedAbout(CapturedOutput output) {
		budget(Map.of("talk.memory-budget", "100MB", "talk.max-connections", "2000"));
		assertThat(output.getOut()).doesNotContain("talk.max-connections");
	}

	private static MemoryBudget budget(Map<String, String> settings) {
		TalkProperties properties = new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("talk",
				TalkProperties.class);
		TalkMetrics metrics = new TalkMetrics(new SimpleMeterRegistry());
		SessionRegistry sessions = new SessionRegistry(properties,
				new StaticListableBeanFactory().getBeanProvider(Transport.Factory.class));
		return new MemoryBudget(sessions, metrics, properties);
	}

}

package dev.talktoserver.aot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.commons.logging.Log;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * At a start in Spring AOT mode, once every source of configuration is read: when a setting the plan
 * was made with has another value now (a management port of its own, other exposed endpoints, another
 * profile), starts without the plan, as a jar without one would, and says why. The plan would have
 * ignored that setting without a word; this way it holds, at the cost of the slower start.
 */
class PlanCheck implements EnvironmentPostProcessor, Ordered {

	private final Log logger;

	PlanCheck(DeferredLogFactory logs) {
		this.logger = logs.getLog(PlanCheck.class);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!AotDetector.useGeneratedArtifacts()) {
			return;
		}
		PlannedSettings planned = plannedSettings(application.getClassLoader());
		if (planned == null) {
			return;
		}
		List<String> differences = planned.differencesFrom(environment);
		if (!differences.isEmpty()) {
			System.setProperty(AotDetector.AOT_ENABLED, "false");
			this.logger.warn("Starting without the Spring AOT plan, because it was made with other settings: "
					+ String.join("; ", differences) + ". The start takes longer; build with these settings "
					+ "(or run with SPRING_AOT_ENABLED=false) to start as planned");
		}
	}

	private static PlannedSettings plannedSettings(ClassLoader classLoader) {
		try (InputStream input = classLoader.getResourceAsStream(PlannedSettings.RESOURCE)) {
			return (input != null) ? PlannedSettings.read(input) : null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + PlannedSettings.RESOURCE, ex);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}

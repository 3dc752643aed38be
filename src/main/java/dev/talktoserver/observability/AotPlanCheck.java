package dev.talktoserver.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aot.AotDetector;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.stereotype.Component;

/**
 * Says so when the application runs from a Spring AOT plan (a jar built with {@code -Pspring-aot}, run
 * with {@code spring.aot.enabled}, as the image built with {@code SPRING_AOT=true} is) and was given
 * settings that such a plan cannot honour. The plan fixed at build time which beans exist: a management
 * port of its own, or another choice of exposed endpoints, would otherwise be ignored without a word.
 * A setting counts as given when its value differs from the packaged {@code application.properties},
 * which the plan was made with.
 */
@Component
class AotPlanCheck implements ApplicationListener<ApplicationReadyEvent> {

	/** Settings that decide which beans exist, and so are part of the plan. */
	static final List<String> FIXED_AT_BUILD_TIME = List.of("management.server.port",
			"management.endpoints.web.exposure.include", "management.endpoints.web.exposure.exclude");

	private static final Logger logger = LoggerFactory.getLogger(AotPlanCheck.class);

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (!AotDetector.useGeneratedArtifacts()) {
			return;
		}
		for (String ignored : ignoredSettings(event.getApplicationContext().getEnvironment())) {
			logger.warn("{} is ignored: this application runs from its Spring AOT plan, made at build time with the "
					+ "packaged settings; to honour it, run with SPRING_AOT_ENABLED=false (or without "
					+ "-Dspring.aot.enabled=true)", ignored);
		}
	}

	/** Each setting of {@link #FIXED_AT_BUILD_TIME} whose value differs from the build's, as NAME=VALUE. */
	static List<String> ignoredSettings(ConfigurableEnvironment environment) {
		PropertySource<?> packaged = environment.getPropertySources()
			.stream()
			.filter((source) -> source.getName().contains("class path resource [application.properties]"))
			.findFirst()
			.orElse(null);
		List<String> ignored = new ArrayList<>();
		for (String name : FIXED_AT_BUILD_TIME) {
			String value = environment.getProperty(name);
			Object built = (packaged != null) ? packaged.getProperty(name) : null;
			if (!Objects.equals(value, (built != null) ? built.toString() : null)) {
				ignored.add(name + "=" + value);
			}
		}
		return ignored;
	}

}

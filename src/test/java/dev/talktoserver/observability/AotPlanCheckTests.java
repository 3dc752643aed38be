package dev.talktoserver.observability;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which settings a Spring AOT plan would ignore: those that differ from the packaged
 * {@code application.properties}. (Running in AOT mode itself needs a jar built with -Pspring-aot; the
 * container smoke test runs one.)
 */
class AotPlanCheckTests {

	/** The name Spring Boot gives the packaged file's property source. */
	private static final String PACKAGED = "Config resource 'class path resource [application.properties]' "
			+ "via location 'optional:classpath:/'";

	@Test
	void settingsAsPackagedAreNotReported() {
		StandardEnvironment environment = environment(Map.of());
		assertThat(AotPlanCheck.ignoredSettings(environment)).isEmpty();
	}

	@Test
	void aManagementPortGivenAtRunTimeIsReported() {
		StandardEnvironment environment = environment(Map.of("management.server.port", "9091"));
		assertThat(AotPlanCheck.ignoredSettings(environment)).containsExactly("management.server.port=9091");
	}

	@Test
	void anotherExposureIsReported() {
		StandardEnvironment environment = environment(
				Map.of("management.endpoints.web.exposure.include", "health,env"));
		assertThat(AotPlanCheck.ignoredSettings(environment))
			.containsExactly("management.endpoints.web.exposure.include=health,env");
	}

	private static StandardEnvironment environment(Map<String, Object> given) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addLast(new MapPropertySource(PACKAGED,
					Map.of("management.endpoints.web.exposure.include", "health,info,metrics,prometheus")));
		environment.getPropertySources().addFirst(new MapPropertySource("commandLineArgs", given));
		return environment;
	}

}

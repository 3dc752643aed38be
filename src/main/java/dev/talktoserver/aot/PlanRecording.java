package dev.talktoserver.aot;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * During the build's Spring AOT processing only: puts {@link SettingsReadWhilePlanning} in front of the
 * environment's sources before the beans are planned. Settings read earlier (logging, the banner, where
 * configuration comes from) are not part of the plan and are not noted.
 */
class PlanRecording implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	/** Set by Spring's AOT processor for the run that makes the plan. */
	static final String AOT_PROCESSING = "spring.aot.processing";

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		if (Boolean.getBoolean(AOT_PROCESSING)) {
			context.getEnvironment().getPropertySources().addFirst(new SettingsReadWhilePlanning());
		}
	}

}

package dev.talktoserver.aot;

import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

import org.springframework.core.env.PropertySource;

/**
 * A property source with no values that notes every setting asked of it. First among the
 * environment's sources while Spring AOT plans the beans, it is asked for every setting a condition or
 * a bean definition reads.
 */
class SettingsReadWhilePlanning extends PropertySource<Set<String>> {

	static final String NAME = "talk-to-server: settings read while planning";

	/**
	 * Read while planning, but not deciding by their values: the process id differs at every start; the
	 * version is the jar's own, known only once it is packaged (the plan is made before); the two ports
	 * decide only whether the actuator has a port of its own, which {@link PlannedSettings} notes instead.
	 */
	static final Set<String> NOT_DECIDING = Set.of("spring.application.pid", "spring.application.version",
			"server.port", "management.server.port");

	SettingsReadWhilePlanning() {
		super(NAME, new ConcurrentSkipListSet<>());
	}

	@Override
	public Object getProperty(String name) {
		if (!NOT_DECIDING.contains(name)) {
			getSource().add(name);
		}
		return null;
	}

}

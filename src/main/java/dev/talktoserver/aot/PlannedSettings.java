package dev.talktoserver.aot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.core.env.Environment;

/**
 * The settings a Spring AOT plan was made with: each setting read while the plan decided which beans
 * exist (conditions on properties, endpoint exposure), with the value it had then, or none; the active
 * profiles; and whether the actuator had a port of its own (the ports' values do not matter to the plan,
 * only that). Kept in the jar beside the plan as a properties file.
 */
record PlannedSettings(Map<String, String> values, List<String> profiles, ManagementPortType managementPort) {

	/** Where the build puts the file, and where the start looks for it. */
	static final String RESOURCE = "META-INF/talk-to-server/aot-planned-settings.properties";

	private static final String SETTING = "setting.";

	private static final String UNSET = "unset";

	private static final String PROFILES = "profiles";

	private static final String MANAGEMENT_PORT = "management-port";

	/** The given settings with the values {@code environment} has for them now. */
	static PlannedSettings of(Collection<String> names, Environment environment) {
		Map<String, String> values = new TreeMap<>();
		for (String name : names) {
			values.put(name, environment.getProperty(name));
		}
		return new PlannedSettings(values, List.of(environment.getActiveProfiles()),
				ManagementPortType.get(environment));
	}

	/**
	 * What differs in {@code environment}, one line each ({@code name is X here, Y when planned}); empty
	 * when the plan fits.
	 */
	List<String> differencesFrom(Environment environment) {
		List<String> differences = new ArrayList<>();
		List<String> activeProfiles = List.of(environment.getActiveProfiles());
		if (!activeProfiles.equals(this.profiles)) {
			differences.add("active profiles are " + activeProfiles + " here, " + this.profiles + " when planned");
		}
		ManagementPortType managementPort = ManagementPortType.get(environment);
		if (managementPort != this.managementPort) {
			differences.add("the actuator's port is " + describe(managementPort) + " here (management.server.port "
					+ describe(environment.getProperty("management.server.port")) + "), "
					+ describe(this.managementPort) + " when planned");
		}
		this.values.forEach((name, planned) -> {
			String actual = environment.getProperty(name);
			if (!Objects.equals(actual, planned)) {
				differences.add(name + " is " + describe(actual) + " here, " + describe(planned) + " when planned");
			}
		});
		return differences;
	}

	private static String describe(String value) {
		return (value != null) ? "'" + value + "'" : "unset";
	}

	private static String describe(ManagementPortType type) {
		return switch (type) {
			case SAME -> "the server's";
			case DIFFERENT -> "a port of its own";
			case DISABLED -> "none";
		};
	}

	byte[] toBytes() {
		Properties properties = new Properties();
		List<String> unset = new ArrayList<>();
		this.values.forEach((name, value) -> {
			if (value != null) {
				properties.setProperty(SETTING + name, value);
			}
			else {
				unset.add(name);
			}
		});
		properties.setProperty(UNSET, String.join(",", unset));
		properties.setProperty(PROFILES, String.join(",", this.profiles));
		properties.setProperty(MANAGEMENT_PORT, this.managementPort.name());
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try {
			properties.store(bytes, "Settings read while Spring AOT planned this application's beans, with their values then."
					+ " Checked at every start in AOT mode (dev.talktoserver.aot.PlanCheck).");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	static PlannedSettings read(InputStream input) throws IOException {
		Properties properties = new Properties();
		properties.load(input);
		Map<String, String> values = new TreeMap<>();
		properties.stringPropertyNames()
			.stream()
			.filter((key) -> key.startsWith(SETTING))
			.forEach((key) -> values.put(key.substring(SETTING.length()), properties.getProperty(key)));
		split(properties.getProperty(UNSET)).forEach((name) -> values.put(name, null));
		return new PlannedSettings(values, split(properties.getProperty(PROFILES)),
				ManagementPortType.valueOf(properties.getProperty(MANAGEMENT_PORT, ManagementPortType.SAME.name())));
	}

	private static List<String> split(String list) {
		return (list == null || list.isEmpty()) ? List.of() : Arrays.asList(list.split(","));
	}

}

package dev.talktoserver.aot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** What a start compares with the settings its Spring AOT plan was made with. */
class PlannedSettingsTests {

	private final PlannedSettings planned = new PlannedSettings(settings("management.endpoints.web.exposure.include",
			"health,info", "management.endpoint.health.probes.enabled", null), List.of(), ManagementPortType.SAME);

	@Test
	void theSameSettingsFitThePlan() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("management.endpoints.web.exposure.include", "health,info")
			.withProperty("talk.reply", "Hi");
		assertThat(this.planned.differencesFrom(environment)).isEmpty();
	}

	@Test
	void aSettingGivenNowThatWasUnsetDoesNot() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("management.endpoints.web.exposure.include", "health,info")
			.withProperty("management.endpoint.health.probes.enabled", "false");
		assertThat(this.planned.differencesFrom(environment))
			.containsExactly("management.endpoint.health.probes.enabled is 'false' here, unset when planned");
	}

	@Test
	void aManagementPortOfItsOwnDoesNotButAnyOtherServerPortDoes() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("management.endpoints.web.exposure.include", "health,info")
			.withProperty("server.port", "9090");
		assertThat(this.planned.differencesFrom(environment)).isEmpty();
		environment.setProperty("management.server.port", "9091");
		assertThat(this.planned.differencesFrom(environment)).containsExactly(
				"the actuator's port is a port of its own here (management.server.port '9091'), the server's when planned");
	}

	@Test
	void aPlanForAManagementPortOfItsOwnFitsAnyOtherOne() {
		PlannedSettings ownPort = new PlannedSettings(settings(), List.of(), ManagementPortType.DIFFERENT);
		assertThat(ownPort.differencesFrom(new MockEnvironment().withProperty("management.server.port", "9999")))
			.isEmpty();
		assertThat(ownPort.differencesFrom(new MockEnvironment())).containsExactly(
				"the actuator's port is the server's here (management.server.port unset), a port of its own when planned");
	}

	@Test
	void anotherValueOrAnotherProfileDoesNot() {
		MockEnvironment environment = new MockEnvironment();
		environment.setProperty("management.endpoints.web.exposure.include", "*");
		environment.setActiveProfiles("prod");
		assertThat(this.planned.differencesFrom(environment)).containsExactly(
				"active profiles are [prod] here, [] when planned",
				"management.endpoints.web.exposure.include is '*' here, 'health,info' when planned");
	}

	@Test
	void theFileKeepsSetAndUnsetSettingsAndProfiles() throws IOException {
		PlannedSettings written = new PlannedSettings(
				settings("a.b", "x=y, z", "c.d", null, "e.f[0]", null, "g", "line\nbreak"), List.of("one", "two"),
				ManagementPortType.DIFFERENT);
		PlannedSettings read = PlannedSettings.read(new ByteArrayInputStream(written.toBytes()));
		assertThat(read).isEqualTo(written);
	}

	@Test
	void aPlanWithoutSettingsOrProfilesReadsBackEmpty() throws IOException {
		PlannedSettings empty = new PlannedSettings(new TreeMap<>(), List.of(), ManagementPortType.SAME);
		assertThat(PlannedSettings.read(new ByteArrayInputStream(empty.toBytes()))).isEqualTo(empty);
	}

	private static Map<String, String> settings(String... namesAndValues) {
		Map<String, String> settings = new TreeMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			settings.put(namesAndValues[i], namesAndValues[i + 1]);
		}
		return settings;
	}

}

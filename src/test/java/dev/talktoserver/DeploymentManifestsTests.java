package dev.talktoserver;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import dev.talktoserver.server.connection.MemoryBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment files agree with the application they deploy: {@code deploy/k8s/} read into
 * Kubernetes' own types (fabric8's model, as a client would send them), and {@code deploy/nginx/talk.conf},
 * checked against {@code application.properties}, the {@link TalkProperties} defaults and the
 * Dockerfile and its entry point. No cluster is needed; a change on one side that the other does not follow fails here.
 */
class DeploymentManifestsTests {

	private static final Path K8S = Path.of("deploy/k8s");

	/**
	 * How long {@code GracefulShutdown} may take with its 1001s before Tomcat's own graceful shutdown
	 * starts: its {@code CLOSE_WAIT} for the close frames to go out, then its {@code ABORT_WAIT} for the
	 * connections it drops after that.
	 */
	private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

	private static final Duration ABORT_WAIT = Duration.ofSeconds(1);

	/** Time for the JVM to exit after the last shutdown phase, and for a slow node. */
	private static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

	private static final KubernetesSerialization kubernetes = new KubernetesSerialization();

	private final Properties application = load();

	private final TalkProperties talk = new Binder(new MapConfigurationPropertySource(this.application))
		.bindOrCreate("talk", TalkProperties.class);

	private final Deployment deployment = read("deployment.yaml", Deployment.class);

	private final PodSpec pod = this.deployment.getSpec().getTemplate().getSpec();

	private final Container container = this.pod.getContainers().get(0);

	@Test
	void everyManifestIsAKubernetesObjectWithoutUnknownFields() throws IOException {
		try (Stream<Path> files = Files.list(K8S)) {
			List<Path> manifests = files.filter((file) -> file.toString().endsWith(".yaml"))
				.filter((file) -> !file.endsWith("kustomization.yaml"))
				.toList();
			assertThat(manifests).hasSize(5);
			for (Path manifest : manifests) {
				Object resource = kubernetes.unmarshal(Files.readString(manifest, StandardCharsets.UTF_8));
				assertThat(resource.getClass().getPackageName()).as("%s: a typed resource", manifest)
					.startsWith("io.fabric8.kubernetes.api.model");
				assertThat(unknownFields(resource, "")).as("%s: fields Kubernetes does not know", manifest).isEmpty();
			}
		}
	}

	@Test
	void kustomizationListsEveryManifest() throws IOException {
		String kustomization = Files.readString(K8S.resolve("kustomization.yaml"), StandardCharsets.UTF_8);
		try (Stream<Path> files = Files.list(K8S)) {
			files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.endsWith(".yaml") && !name.equals("kustomization.yaml"))
				.forEach((name) -> assertThat(kustomization).contains("- " + name));
		}
	}

	@Test
	void containerPortIsTheServersPortAndTheImagesExposedPort() throws IOException {
		int serverPort = Integer.parseInt(this.application.getProperty("server.port", "8080"));
		assertThat(httpPort().getContainerPort()).isEqualTo(serverPort);
		assertThat(Files.readString(Path.of("Dockerfile"))).contains("\nEXPOSE " + serverPort + "\n");
	}

	@Test
	void theActuatorHasAPortOfItsOwnWhereProbesAndPrometheusGo() {
		String managementPort = this.container.getEnv()
			.stream()
			.filter((variable) -> variable.getName().equals("MANAGEMENT_SERVER_PORT"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no MANAGEMENT_SERVER_PORT in the container's environment"))
			.getValue();
		assertThat(managementPort).isNotEqualTo(String.valueOf(httpPort().getContainerPort()));
		assertThat(port("management").getContainerPort()).isEqualTo(Integer.parseInt(managementPort));
		assertThat(this.deployment.getSpec().getTemplate().getMetadata().getAnnotations())
			.containsEntry("prometheus.io/port", managementPort)
			.containsEntry("prometheus.io/path", "/actuator/prometheus");
	}

	@Test
	void probesAskTheActuatorsLivenessAndReadinessGroupsOnTheManagementPort() {
		assertThat(this.application.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
		assertThat(this.application.getProperty("management.endpoints.web.exposure.include")).contains("health");
		assertThat(this.application.getProperty("management.server.port"))
			.as("the deployment sets the management port; the jar leaves it to the deployment").isNull();
		assertThat(httpGet(this.container.getLivenessProbe()).getPath()).isEqualTo("/actuator/health/liveness");
		assertThat(httpGet(this.container.getStartupProbe()).getPath()).isEqualTo("/actuator/health/liveness");
		assertThat(httpGet(this.container.getReadinessProbe()).getPath()).isEqualTo("/actuator/health/readiness");
		for (Probe probe : List.of(this.container.getLivenessProbe(), this.container.getReadinessProbe(),
				this.container.getStartupProbe())) {
			assertThat(httpGet(probe).getPort()).isEqualTo(new IntOrString(port("management").getName()));
		}
	}

	@Test
	void gracePeriodOutlastsPreStopThenTheDrainThenTheShutdownPhase() {
		assertThat(this.application.getProperty("server.shutdown")).isEqualTo("graceful");
		Duration shutdownPhase = DurationStyle
			.detectAndParse(this.application.getProperty("spring.lifecycle.timeout-per-shutdown-phase"));
		Duration preStop = Duration.ofSeconds(this.container.getLifecycle().getPreStop().getSleep().getSeconds());
		Duration grace = Duration.ofSeconds(this.pod.getTerminationGracePeriodSeconds());
		assertThat(preStop).as("preStop: long enough for load balancers to drop the pod")
			.isGreaterThanOrEqualTo(Duration.ofSeconds(5));
		Duration closes = CLOSE_WAIT.plus(ABORT_WAIT);
		assertThat(grace).as("terminationGracePeriodSeconds > preStop %s + closes %s + shutdown phase %s + %s",
				preStop, closes, shutdownPhase, EXIT_MARGIN)
			.isGreaterThanOrEqualTo(preStop.plus(closes).plus(shutdownPhase).plus(EXIT_MARGIN));
	}

	@Test
	void closeWaitsHereAreTheServersOwn() throws IOException {
		assertThat(Files.readString(Path.of("src/main/java/dev/talktoserver/server/connection/GracefulShutdown.java")))
			.contains("CLOSE_WAIT = Duration.ofSeconds(" + CLOSE_WAIT.toSeconds() + ")")
			.contains("ABORT_WAIT = Duration.ofSeconds(" + ABORT_WAIT.toSeconds() + ")");
	}

	@Test
	void rollingUpdateAddsBeforeItTakesAway() {
		assertThat(this.deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
			.isEqualTo(new IntOrString(0));
		assertThat(this.deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void podRunsAsTheImagesNonRootUserWithAReadOnlyRootAndAWritableTmp() throws IOException {
		Matcher user = Pattern.compile("\nUSER (\\d+):(\\d+)\n").matcher(Files.readString(Path.of("Dockerfile")));
		assertThat(user.find()).as("USER uid:gid in the Dockerfile").isTrue();
		assertThat(this.pod.getSecurityContext().getRunAsNonRoot()).isTrue();
		assertThat(this.pod.getSecurityContext().getRunAsUser()).isEqualTo(Long.parseLong(user.group(1)));
		assertThat(this.pod.getSecurityContext().getRunAsGroup()).isEqualTo(Long.parseLong(user.group(2)));
		assertThat(this.container.getSecurityContext().getReadOnlyRootFilesystem()).as("readOnlyRootFilesystem")
			.isTrue();
		assertThat(this.container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
		assertThat(this.container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
		String tmpVolume = this.container.getVolumeMounts()
			.stream()
			.filter((mount) -> mount.getMountPath().equals("/tmp"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no volume at /tmp, where Tomcat writes"))
			.getName();
		assertThat(this.pod.getVolumes()).anySatisfy((volume) -> {
			assertThat(volume.getName()).isEqualTo(tmpVolume);
			assertThat(volume.getEmptyDir()).isNotNull();
		});
	}

	@Test
	void resourcesRequestCpuForTheAutoscalerAndLimitMemory() {
		Map<String, Quantity> requests = this.container.getResources().getRequests();
		assertThat(requests).containsKeys("cpu", "memory");
		assertThat(this.container.getResources().getLimits()).containsKey("memory");
		assertThat(requests.get("memory")).as("memory requested is memory limited: the pod is never squeezed")
			.isEqualTo(this.container.getResources().getLimits().get("memory"));
	}

	@Test
	void memoryLimitGivesAHeapWhoseBudgetHoldsTheConnectionCapAtItsWorst() throws IOException {
		long limit = Quantity.getAmountInBytes(this.container.getResources().getLimits().get("memory")).longValue();
		Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)")
			.matcher(Files.readString(Path.of("src/main/docker/entrypoint.sh"), StandardCharsets.UTF_8));
		assertThat(percentage.find()).as("the server's MaxRAMPercentage in the image's entry point").isTrue();
		long heap = limit * Long.parseLong(percentage.group(1)) / 100;
		long budget = MemoryBudget.budgetBytes(this.talk, heap);
		long worstCase = MemoryBudget.worstCasePerConnection(this.talk);
		int cap = this.talk.maxConnections();
		assertThat(cap * worstCase)
			.as("talk.max-connections %d times %d bytes at worst, within the budget of a %d MB heap", cap, worstCase,
					heap >> 20)
			.isLessThanOrEqualTo(budget);
		// The rest of the limit is the JVM's own: classes, compiled code, threads, direct buffers.
		assertThat(limit - heap).as("memory outside the heap").isGreaterThanOrEqualTo(192L << 20);
	}

	@Test
	void serviceSelectsThePodsAndTargetsTheirPort() {
		Service service = read("service.yaml", Service.class);
		assertThat(this.deployment.getSpec().getTemplate().getMetadata().getLabels())
			.containsAllEntriesOf(service.getSpec().getSelector());
		assertThat(this.deployment.getSpec().getSelector().getMatchLabels())
			.isEqualTo(service.getSpec().getSelector());
		ServicePort port = service.getSpec().getPorts().get(0);
		assertThat(port.getTargetPort()).isEqualTo(new IntOrString(httpPort().getName()));
	}

	@Test
	void ingressRoutesToTheServiceAndOutwaitsThePingIntervalAndTheIdleTimeout() {
		Service service = read("service.yaml", Service.class);
		Ingress ingress = read("ingress.yaml", Ingress.class);
		IngressServiceBackend backend = ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend()
			.getService();
		assertThat(backend.getName()).isEqualTo(service.getMetadata().getName());
		assertThat(backend.getPort().getName()).isEqualTo(service.getSpec().getPorts().get(0).getName());
		Map<String, String> annotations = ingress.getMetadata().getAnnotations();
		for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
			Duration value = Duration.ofSeconds(Long.parseLong(annotations.get("nginx.ingress.kubernetes.io/" + timeout)));
			assertThat(value).as("%s > ping interval %s and idle timeout %s", timeout, this.talk.pingInterval(),
					this.talk.idleTimeout())
				.isGreaterThan(this.talk.pingInterval())
				.isGreaterThan(this.talk.idleTimeout());
		}
		assertThat(annotations.get("nginx.ingress.kubernetes.io/proxy-next-upstream")).contains("http_503");
	}

	@Test
	void autoscalerScalesTheDeploymentOnCpuFromTwoPodsAndBudgetKeepsThemUp() {
		HorizontalPodAutoscaler hpa = read("hpa.yaml", HorizontalPodAutoscaler.class);
		assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
		assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(this.deployment.getMetadata().getName());
		assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
		assertThat(hpa.getSpec().getMetrics().get(0).getResource().getName()).isEqualTo("cpu");
		PodDisruptionBudget budget = read("pdb.yaml", PodDisruptionBudget.class);
		assertThat(budget.getSpec().getSelector().getMatchLabels())
			.isEqualTo(this.deployment.getSpec().getSelector().getMatchLabels());
	}

	@Test
	void nginxConfOutwaitsThePingIntervalAndTheIdleTimeoutAndPassesTheForwardedHeaders() throws IOException {
		String conf = Files.readString(Path.of("deploy/nginx/talk.conf"), StandardCharsets.UTF_8);
		for (String timeout : List.of("proxy_read_timeout", "proxy_send_timeout")) {
			Matcher value = Pattern.compile("\n\\s*" + timeout + " (\\d+)s;").matcher(conf);
			assertThat(value.find()).as("%s in talk.conf", timeout).isTrue();
			assertThat(Duration.ofSeconds(Long.parseLong(value.group(1)))).as(timeout)
				.isGreaterThan(this.talk.pingInterval())
				.isGreaterThan(this.talk.idleTimeout());
		}
		assertThat(conf).contains("proxy_http_version 1.1;", "proxy_set_header Upgrade $http_upgrade;",
				"proxy_set_header X-Forwarded-Proto $scheme;", "proxy_set_header X-Forwarded-Host $host;",
				"proxy_set_header X-Forwarded-Port $server_port;");
		assertThat(this.application.getProperty("server.forward-headers-strategy")).isEqualTo("native");
	}

	private ContainerPort httpPort() {
		return port("http");
	}

	private ContainerPort port(String name) {
		return this.container.getPorts()
			.stream()
			.filter((port) -> name.equals(port.getName()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no container port named " + name));
	}

	private static HTTPGetAction httpGet(Probe probe) {
		assertThat(probe).isNotNull();
		assertThat(probe.getHttpGet()).as("an HTTP probe").isNotNull();
		return probe.getHttpGet();
	}

	private static <T> T read(String file, Class<T> type) {
		try (InputStream in = Files.newInputStream(K8S.resolve(file))) {
			return kubernetes.unmarshal(in, type);
		}
		catch (IOException ex) {
			throw new AssertionError("cannot read " + K8S.resolve(file), ex);
		}
	}

	private static Properties load() {
		try {
			return PropertiesLoaderUtils.loadProperties(new ClassPathResource("application.properties"));
		}
		catch (IOException ex) {
			throw new AssertionError(ex);
		}
	}

	/**
	 * The paths of fields the model did not recognise (a misspelt or misplaced key): fabric8 keeps them
	 * aside in each object's additional properties rather than failing.
	 */
	private static List<String> unknownFields(Object node, String path) {
		List<String> unknown = new ArrayList<>();
		if (node instanceof Collection<?> collection) {
			int i = 0;
			for (Object item : collection) {
				unknown.addAll(unknownFields(item, path + "[" + i++ + "]"));
			}
			return unknown;
		}
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> unknown.addAll(unknownFields(value, path + "." + key)));
			return unknown;
		}
		if (node == null || !node.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
			return unknown;
		}
		for (Method getter : node.getClass().getMethods()) {
			if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
					|| getter.getDeclaringClass() == Object.class) {
				continue;
			}
			try {
				Object value = getter.invoke(node);
				if (getter.getName().equals("getAdditionalProperties")) {
					((Map<?, ?>) value).keySet().forEach((key) -> unknown.add(path + "." + key));
				}
				else {
					unknown.addAll(unknownFields(value, path + "." + getter.getName().substring(3)));
				}
			}
			catch (ReflectiveOperationException ex) {
				throw new AssertionError(ex);
			}
		}
		return unknown;
	}

}

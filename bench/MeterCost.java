import dev.talktoserver.observability.EndpointMeters;
import dev.talktoserver.observability.TalkMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * What the talk.* meters cost per message on the message path: one message received (counter, bytes
 * counter, size summary), one reply sent (counter) and the handler timer with its two nanoTime calls,
 * on the Prometheus registry the service uses. Run with bench/meter-cost.sh.
 */
public class MeterCost {

	public static void main(String[] args) {
		EndpointMeters meters = new TalkMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
			.endpoint("/talk-to-server");
		int messages = 20_000_000;
		for (int round = 1; round <= 5; round++) {
			long start = System.nanoTime();
			for (int i = 0; i < messages; i++) {
				long handlerStart = System.nanoTime();
				meters.received(18);
				meters.sent();
				meters.handled(System.nanoTime() - handlerStart);
			}
			double nanos = (System.nanoTime() - start) / (double) messages;
			System.out.printf("round %d: %.1f ns of meter updates per message%n", round, nanos);
		}
	}

}

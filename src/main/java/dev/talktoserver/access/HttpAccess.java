package dev.talktoserver.access;

import java.util.Set;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security's filter chain for the plain HTTP requests: the page and the actuator. The WebSocket
 * endpoints never reach it: their handshakes are served ahead of it, and checked there (the token check
 * of {@code server.handshake}).
 * <p>
 * The actuator's probes and overall health are open to all. Health's details go to principals with one
 * of {@code management.endpoint.health.roles} (Spring Boot's {@code show-details=when-authorized}); with
 * a JWT issuer configured, so do metrics and Prometheus on the main port, unless the actuator has a port
 * of its own ({@code management.server.port}), which the ingress does not expose. With no issuer there
 * is no one to authorize: metrics stay open, as before, and the production layout moves them to that
 * port.
 */
@Configuration(proxyBeanMethods = false)
class HttpAccess {

	@Bean
	SecurityFilterChain pageAndActuatorChain(HttpSecurity http, ObjectProvider<JwtDecoder> jwtDecoder,
			Environment environment) {
		boolean jwt = jwtDecoder.getIfAvailable() != null;
		boolean actuatorOnItsOwnPort = ManagementPortType.get(environment) == ManagementPortType.DIFFERENT;
		String[] operators = operatorAuthorities(environment);
		http.authorizeHttpRequests((requests) -> {
			if (jwt && !actuatorOnItsOwnPort) {
				var metrics = requests.requestMatchers(EndpointRequest.to("metrics", "prometheus"));
				// No roles: as for health's details, any authenticated principal.
				if (operators.length > 0) {
					metrics.hasAnyAuthority(operators);
				}
				else {
					metrics.authenticated();
				}
			}
			requests.anyRequest().permitAll();
		})
			// Bearer tokens only, never a cookie or a form: nothing for a cross-site request to ride on.
			.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(AbstractHttpConfigurer::disable);
		if (jwt) {
			http.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()));
		}
		return http.build();
	}

	/** Who may see health's details, and metrics: one way to name operators, Spring Boot's. */
	private static String[] operatorAuthorities(Environment environment) {
		Set<String> roles = Binder.get(environment)
			.bind("management.endpoint.health.roles", Bindable.setOf(String.class))
			.orElse(Set.of());
		return roles.toArray(String[]::new);
	}

}

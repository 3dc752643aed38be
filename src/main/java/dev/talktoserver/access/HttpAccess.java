package dev.talktoserver.access;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security's filter chain for the plain HTTP requests: the page and the actuator. The WebSocket
 * endpoints never reach it: their handshakes are served ahead of it, and checked there (the token check
 * of {@code server.handshake}). With a JWT issuer configured, a bearer token on these requests is
 * checked as the resource server checks it; no request needs one yet.
 */
@Configuration(proxyBeanMethods = false)
class HttpAccess {

	@Bean
	SecurityFilterChain pageAndActuatorChain(HttpSecurity http, ObjectProvider<JwtDecoder> jwtDecoder) {
		http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			// Bearer tokens only, never a cookie or a form: nothing for a cross-site request to ride on.
			.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(AbstractHttpConfigurer::disable);
		if (jwtDecoder.getIfAvailable() != null) {
			http.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()));
		}
		return http.build();
	}

}

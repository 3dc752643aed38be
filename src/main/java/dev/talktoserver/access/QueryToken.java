package dev.talktoserver.access;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * A token in the query ({@code access_token}) taken out of a handshake's request before anything but
 * the token check sees it: Spring's session would otherwise carry it in its URI, and print it in every
 * line about the session at DEBUG; Tomcat's in its query string and parameters, for any handler to log.
 * Tomcat would also parse its thousand characters into a parameter that nobody reads. The token check
 * finds it in a request attribute, which it removes.
 */
public final class QueryToken {

	/** The request attribute that holds the query's token, as it came (still URL-encoded). */
	static final String ATTRIBUTE = QueryToken.class.getName();

	private static final String PREFIX = TokenCheck.QUERY_PARAMETER + "=";

	private QueryToken() {
	}

	/** {@code request} without its query's token, or {@code request} itself when its query has none. */
	public static HttpServletRequest takenOut(HttpServletRequest request) {
		String query = request.getQueryString();
		if (query == null || !query.contains(PREFIX)) {
			return request;
		}
		String token = null;
		StringBuilder rest = new StringBuilder();
		for (String parameter : query.split("&")) {
			if (token == null && parameter.startsWith(PREFIX)) {
				token = parameter.substring(PREFIX.length());
			}
			else if (!parameter.isEmpty()) {
				rest.append((rest.length() > 0) ? "&" : "").append(parameter);
			}
		}
		if (token == null) {
			return request;
		}
		request.setAttribute(ATTRIBUTE, token);
		return new WithoutToken(request, (rest.length() > 0) ? rest.toString() : null);
	}

	/** The request as the rest of the handshake sees it: the query and its parameters without the token. */
	private static final class WithoutToken extends HttpServletRequestWrapper {

		private final String query;

		private Map<String, String[]> parameters;

		WithoutToken(HttpServletRequest request, String query) {
			super(request);
			this.query = query;
		}

		@Override
		public String getQueryString() {
			return this.query;
		}

		@Override
		public Map<String, String[]> getParameterMap() {
			if (this.parameters == null) {
				this.parameters = Collections.unmodifiableMap(parse(this.query));
			}
			return this.parameters;
		}

		@Override
		public String getParameter(String name) {
			String[] values = getParameterMap().get(name);
			return (values != null) ? values[0] : null;
		}

		@Override
		public String[] getParameterValues(String name) {
			String[] values = getParameterMap().get(name);
			return (values != null) ? values.clone() : null;
		}

		@Override
		public Enumeration<String> getParameterNames() {
			return Collections.enumeration(getParameterMap().keySet());
		}

		private static Map<String, String[]> parse(String query) {
			Map<String, List<String>> parsed = new LinkedHashMap<>();
			if (query != null) {
				for (String parameter : query.split("&")) {
					int equals = parameter.indexOf('=');
					String name = decode((equals < 0) ? parameter : parameter.substring(0, equals));
					String value = (equals < 0) ? "" : decode(parameter.substring(equals + 1));
					parsed.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
				}
			}
			Map<String, String[]> parameters = new LinkedHashMap<>();
			parsed.forEach((name, values) -> parameters.put(name, values.toArray(String[]::new)));
			return parameters;
		}

		private static String decode(String text) {
			try {
				return URLDecoder.decode(text, StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				return text;
			}
		}

	}

}

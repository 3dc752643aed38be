package dev.talktoserver.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A command line of {@code talk-to-server client}, read with the {@link ClientOption}s the way
 * getopt-style tools read theirs: {@code -m TEXT}, {@code -mTEXT}, {@code --message TEXT},
 * {@code --message=TEXT}, switches grouped ({@code -iv}), {@code --} before an argument that starts
 * with a dash. Written out rather than done with a library: a one-shot run is over in well under a
 * second, and an annotation-driven parser's reflection and class loading took about 0.3 s of it.
 * Every mistake is a {@link UsageError} that names the option.
 */
final class Arguments {

	private final Map<ClientOption, List<String>> values;

	private final List<String> positional;

	private Arguments(Map<ClientOption, List<String>> values, List<String> positional) {
		this.values = values;
		this.positional = positional;
	}

	static Arguments parse(String... args) {
		Map<ClientOption, List<String>> values = new EnumMap<>(ClientOption.class);
		List<String> positional = new ArrayList<>();
		for (int i = 0; i < args.length; i++) {
			String arg = args[i];
			if (arg.equals("--")) {
				positional.addAll(List.of(args).subList(i + 1, args.length));
				break;
			}
			if (arg.startsWith("--")) {
				int equals = arg.indexOf('=');
				String name = (equals > 0) ? arg.substring(0, equals) : arg;
				ClientOption option = byLongName(name);
				String value;
				if (!option.takesValue()) {
					if (equals > 0) {
						throw new UsageError("option '" + name + "' takes no value (it was given '" + arg.substring(equals + 1)
								+ "')");
					}
					value = "";
				}
				else if (equals > 0) {
					value = arg.substring(equals + 1);
				}
				else {
					value = valueAfter(args, ++i, option);
				}
				add(values, option, value);
			}
			else if (arg.startsWith("-") && arg.length() > 1) {
				// A group of short options: switches, then perhaps one that takes the rest, or the next argument.
				for (int at = 1; at < arg.length(); at++) {
					ClientOption option = byShortName("-" + arg.charAt(at), arg);
					String value = "";
					if (option.takesValue()) {
						value = (at + 1 < arg.length()) ? arg.substring(at + 1) : valueAfter(args, ++i, option);
						at = arg.length();
					}
					add(values, option, value);
				}
			}
			else {
				positional.add(arg);
			}
		}
		if (positional.size() > 1) {
			throw new UsageError("unexpected argument '" + positional.get(1) + "': give one URL; a message goes with -m TEXT");
		}
		return new Arguments(values, positional);
	}

	/** Whether the option was given. */
	boolean has(ClientOption option) {
		return this.values.containsKey(option);
	}

	/** Every value given for the option, in order. */
	List<String> all(ClientOption option) {
		return List.copyOf(this.values.getOrDefault(option, List.of()));
	}

	/** The last value given for the option (as with most tools, a later one wins), or its default. */
	String value(ClientOption option) {
		List<String> given = this.values.get(option);
		return (given != null) ? given.get(given.size() - 1) : option.defaultValue();
	}

	/** The URL argument, or {@code defaultUrl}. */
	URI url(String defaultUrl) {
		String url = this.positional.isEmpty() ? defaultUrl : this.positional.get(0);
		try {
			return new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new UsageError("'" + url + "' is not a URL (" + ex.getReason() + "): use ws://HOST:PORT/PATH");
		}
	}

	/**
	 * The option's duration, written as in Spring Boot's properties: a number and a unit ({@code 500ms},
	 * {@code 10s}, {@code 1m}; {@code ns}, {@code us}, {@code h} and {@code d} too, milliseconds without
	 * one) or ISO-8601 ({@code PT1M}); more than zero.
	 */
	Duration duration(ClientOption option) {
		String text = value(option);
		Duration duration = parseDuration(text);
		if (duration == null) {
			throw invalid(option, "'" + text + "' is not a duration: use 500ms, 10s or 1m");
		}
		if (duration.isNegative() || duration.isZero()) {
			throw invalid(option, "'" + text + "' must be more than zero");
		}
		return duration;
	}

	int integer(ClientOption option) {
		String text = value(option);
		try {
			return Integer.parseInt(text.strip());
		}
		catch (NumberFormatException ex) {
			throw invalid(option, "'" + text + "' is not a whole number");
		}
	}

	private static UsageError invalid(ClientOption option, String why) {
		return new UsageError("invalid value for option '" + option.longName() + "': " + why);
	}

	private static Duration parseDuration(String text) {
		String value = text.strip();
		if (value.startsWith("P") || value.startsWith("p") || value.startsWith("-P") || value.startsWith("-p")) {
			try {
				return Duration.parse(value);
			}
			catch (DateTimeParseException ex) {
				return null;
			}
		}
		int digits = 0;
		while (digits < value.length() && (Character.isDigit(value.charAt(digits)) || (digits == 0
				&& (value.charAt(0) == '-' || value.charAt(0) == '+')))) {
			digits++;
		}
		ChronoUnit unit = switch (value.substring(digits).toLowerCase(Locale.ROOT)) {
			case "ns" -> ChronoUnit.NANOS;
			case "us" -> ChronoUnit.MICROS;
			case "ms", "" -> ChronoUnit.MILLIS;
			case "s" -> ChronoUnit.SECONDS;
			case "m" -> ChronoUnit.MINUTES;
			case "h" -> ChronoUnit.HOURS;
			case "d" -> ChronoUnit.DAYS;
			default -> null;
		};
		try {
			return (unit != null) ? Duration.of(Long.parseLong(value.substring(0, digits)), unit) : null;
		}
		catch (NumberFormatException | ArithmeticException ex) {
			return null;
		}
	}

	private static void add(Map<ClientOption, List<String>> values, ClientOption option, String value) {
		List<String> given = values.get(option);
		if (given == null) {
			given = new ArrayList<>();
			values.put(option, given);
		}
		given.add(value);
	}

	private static String valueAfter(String[] args, int index, ClientOption option) {
		if (index >= args.length) {
			throw new UsageError("option '" + option.longName() + "' needs a value (" + option.label() + ")");
		}
		return args[index];
	}

	private static ClientOption byLongName(String name) {
		// The options meant, most likely: those it starts or ends short of, else those two typing
		// mistakes away (--mesage, --reconect).
		List<ClientOption> prefixed = new ArrayList<>();
		List<ClientOption> near = new ArrayList<>();
		for (ClientOption option : ClientOption.values()) {
			if (option.longName().equals(name)) {
				return option;
			}
			if (option.longName().startsWith(name) || name.startsWith(option.longName())) {
				prefixed.add(option);
			}
			else if (editDistance(name, option.longName()) <= 2) {
				near.add(option);
			}
		}
		if (prefixed.isEmpty()) {
			prefixed = near;
		}
		String suggestion = "";
		for (int i = 0; i < prefixed.size(); i++) {
			String separator = (i == 0) ? "; did you mean " : (i == prefixed.size() - 1) ? " or " : ", ";
			suggestion += separator + prefixed.get(i).longName() + ((i == prefixed.size() - 1) ? "?" : "");
		}
		throw new UsageError("unknown option '" + name + "'" + suggestion);
	}

	/** How many characters to insert, delete or replace to turn one into the other (Levenshtein). */
	static int editDistance(String one, String other) {
		int[] previous = new int[other.length() + 1];
		int[] current = new int[other.length() + 1];
		for (int j = 0; j <= other.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= one.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= other.length(); j++) {
				int replace = previous[j - 1] + ((one.charAt(i - 1) == other.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[other.length()];
	}

	private static ClientOption byShortName(String name, String group) {
		for (ClientOption option : ClientOption.values()) {
			if (name.equals(option.shortName())) {
				return option;
			}
		}
		throw new UsageError("unknown option '" + name + "'" + (group.equals(name) ? "" : " (in '" + group + "')"));
	}

}

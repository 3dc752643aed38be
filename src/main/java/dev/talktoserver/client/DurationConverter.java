package dev.talktoserver.client;

import java.time.Duration;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import org.springframework.boot.convert.DurationStyle;

/** Reads durations the way Spring Boot properties do ({@code 500ms}, {@code 10s}, {@code PT1M}). */
final class DurationConverter implements ITypeConverter<Duration> {

	@Override
	public Duration convert(String value) {
		try {
			Duration duration = DurationStyle.detectAndParse(value);
			if (duration.isNegative() || duration.isZero()) {
				throw new TypeConversionException("'" + value + "' must be more than zero");
			}
			return duration;
		}
		catch (IllegalArgumentException ex) {
			throw new TypeConversionException("'" + value + "' is not a duration: use 500ms, 10s or 1m");
		}
	}

}

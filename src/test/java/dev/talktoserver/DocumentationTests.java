package dev.talktoserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README and {@code docs/} stay true: every relative link points at a file that exists, and at a
 * heading that exists in it; every {@code talk.*} setting is in the README's configuration table with
 * its default; and the README stays short enough to read in five minutes.
 */
class DocumentationTests {

	private static final Path README = Path.of("README.md");

	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

	private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$", Pattern.MULTILINE);

	@Test
	void everyRelativeLinkResolvesToAFileAndAHeading() throws IOException {
		List<String> broken = new ArrayList<>();
		for (Path document : documents()) {
			Matcher link = LINK.matcher(withoutCode(read(document)));
			while (link.find()) {
				String target = link.group(1);
				if (target.matches("^[a-z]+:.*")) {
					continue;
				}
				String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
				String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
				Path file = path.isEmpty() ? document : document.resolveSibling(path).normalize();
				if (!Files.exists(file)) {
					broken.add(document + ": " + target + " (no such file)");
				}
				else if (anchor != null && !anchors(file).contains(anchor)) {
					broken.add(document + ": " + target + " (no such heading in " + file + ")");
				}
			}
		}
		assertThat(broken).as("broken links").isEmpty();
	}

	@Test
	void everyTalkSettingIsInTheConfigurationTableWithItsDefault() throws IOException {
		JsonNode metadata = new ObjectMapper()
			.readTree(Path.of("target/classes/META-INF/spring-configuration-metadata.json").toFile());
		String readme = read(README);
		List<String> missing = new ArrayList<>();
		for (JsonNode property : metadata.get("properties")) {
			String name = property.get("name").asString();
			Matcher row = Pattern.compile("^\\| `" + Pattern.quote(name) + "` \\| ([^|]*) \\|", Pattern.MULTILINE)
				.matcher(readme);
			if (!row.find()) {
				missing.add(name + " (no row)");
				continue;
			}
			JsonNode value = property.get("defaultValue");
			if (value != null && !value.isNull() && !row.group(1).contains("`" + value.asString() + "`")) {
				missing.add(name + " (default `" + value.asString() + "` not in: " + row.group(1).trim() + ")");
			}
		}
		assertThat(missing).as("settings of TalkProperties not in the README's table as they are").isEmpty();
	}

	@Test
	void readmeIsAFrontDoorOfAtMost250Lines() throws IOException {
		assertThat(Files.readAllLines(README, StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(250);
	}

	private static List<Path> documents() throws IOException {
		try (Stream<Path> docs = Files.list(Path.of("docs"))) {
			List<Path> all = new ArrayList<>(List.of(README));
			all.addAll(docs.filter((file) -> file.toString().endsWith(".md")).sorted().toList());
			return all;
		}
	}

	/** GitHub's anchors: the heading in lower case, without punctuation, spaces as hyphens. */
	private static Set<String> anchors(Path file) throws IOException {
		if (!file.toString().endsWith(".md")) {
			return Set.of();
		}
		return HEADING.matcher(withoutCode(read(file)))
			.results()
			.map((heading) -> heading.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\- _]", "")
				.replace(' ', '-'))
			.collect(Collectors.toSet());
	}

	/** The text without its fenced code blocks, whose lines are neither headings nor links. */
	private static String withoutCode(String markdown) {
		return markdown.replaceAll("(?ms)^```.*?^```", "");
	}

	private static String read(Path file) throws IOException {
		return Files.readString(file, StandardCharsets.UTF_8);
	}

}

package health.crosswalk.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error contract holds across packages: every code a client can receive is defined
 * once in the sources (two meanings under one code would make it useless to a client's
 * error handling) and named on the errors page.
 */
class ErrorCodesTest {

	private static final Pattern CODE = Pattern.compile("\"(CW-[A-Z]+-\\d{3})\"");

	@Test
	void everyCodeIsDefinedOnceAndDocumented() throws IOException {
		Map<String, List<String>> definitions = new TreeMap<>();
		try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".java")).toList()) {
				Matcher matcher = CODE.matcher(Files.readString(file));
				while (matcher.find()) {
					definitions.computeIfAbsent(matcher.group(1), (code) -> new ArrayList<>())
						.add(file.getFileName().toString());
				}
			}
		}
		String page = Files.readString(Path.of("src", "site", "markdown", "errors.md"));

		assertThat(definitions).as("codes in the sources").hasSizeGreaterThan(40);
		assertThat(definitions).allSatisfy((code, files) -> {
			assertThat(files).as(code + " is defined in").hasSize(1);
			assertThat(page).as("errors.md names " + code).contains(code);
		});
	}

}

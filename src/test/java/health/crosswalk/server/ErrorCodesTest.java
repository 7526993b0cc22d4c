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

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The error contract holds across packages: every code a client can receive is a member
 * of an enum implementing {@link CrosswalkError}, no two members share a code (two
 * meanings under one code would make it useless to a client's error handling), no code is
 * spelled outside its enum, and the errors page names each.
 */
class ErrorCodesTest {

	private static final Pattern CODE = Pattern.compile("\"(CW-[A-Z]+-\\d{3})\"");

	private static final String TABLE_START = "<!-- codes: checked by ErrorCodesTest -->";

	private static final String TABLE_END = "<!-- /codes -->";

	@Test
	void everyCodeIsOneEnumMemberAndDocumented() throws IOException {
		Map<String, List<String>> members = new TreeMap<>();
		for (Class<?> type : errorEnums()) {
			for (Object member : type.getEnumConstants()) {
				members.computeIfAbsent(((CrosswalkError) member).code(), (code) -> new ArrayList<>())
					.add(type.getSimpleName() + "." + member);
			}
		}
		String page = Files.readString(Path.of("src", "site", "markdown", "errors.md"));

		assertThat(members).as("codes of the error enums").hasSizeGreaterThan(40);
		assertThat(members).allSatisfy((code, definedBy) -> {
			assertThat(definedBy).as(code + " is the code of").hasSize(1);
			assertThat(page).as("errors.md names " + code).contains(code);
		});
		assertThat(spelledInSources()).allSatisfy((code, files) -> {
			assertThat(members).as(code + " (in " + files + ") is an enum member's code").containsKey(code);
			assertThat(files).as(code + " is spelled in").hasSize(1);
		});
	}

	@Test
	void theErrorsPageTablesEveryCodeAsItsEnumDefinesIt() throws IOException {
		Map<String, String> rows = new TreeMap<>();
		for (Class<?> type : errorEnums()) {
			for (Object member : type.getEnumConstants()) {
				CrosswalkError.Definition definition = ((CrosswalkError) member).definition();
				rows.put(definition.code(),
						"| `" + definition.code() + "` | " + definition.status() + " | `" + definition.type().toCode()
								+ "` | " + definition.hint().replace("|", "\\|") + " | `" + type.getSimpleName()
								+ "` |");
			}
		}
		String expected = String.join("\n", rows.values());
		String page = Files.readString(Path.of("src", "site", "markdown", "errors.md"));
		String table = page.substring(page.indexOf(TABLE_START) + TABLE_START.length(), page.indexOf(TABLE_END))
			.strip();
		String header = "| Code | Status | Issue type | What to do (`issue.details.text`) | Enum |\n|---|---|---|---|---|";
		if (!table.equals(header + "\n" + expected)) {
			Files.writeString(Path.of("target", "errors-table.md"), header + "\n" + expected + "\n");
		}
		assertThat(table).as("the table in errors.md (expected: target/errors-table.md)")
			.isEqualTo(header + "\n" + expected);
	}

	private static List<Class<?>> errorEnums() {
		return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("health.crosswalk")
			.stream()
			.filter((type) -> type.isEnum() && type.isAssignableTo(CrosswalkError.class))
			.<Class<?>>map((type) -> type.reflect())
			.toList();
	}

	private static Map<String, List<String>> spelledInSources() throws IOException {
		Map<String, List<String>> spelled = new TreeMap<>();
		try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".java")).toList()) {
				Matcher matcher = CODE.matcher(Files.readString(file));
				while (matcher.find()) {
					spelled.computeIfAbsent(matcher.group(1), (code) -> new ArrayList<>())
						.add(file.getFileName().toString());
				}
			}
		}
		return spelled;
	}

}

package health.crosswalk;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.ConfigurationProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference pages stay true to the code: every {@code crosswalk.*} setting is in the
 * settings page, and every relative link of the README and the reference pages leads to a
 * file that exists.
 */
class DocsTest {

	private static final Path SETTINGS = Path.of("src", "site", "markdown", "settings.md");

	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s#]+)(#[^)\\s]*)?\\)");

	@Test
	void everySettingIsOnTheSettingsPage() throws IOException {
		String page = Files.readString(SETTINGS);
		List<String> settings = new ArrayList<>();
		for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("health.crosswalk")) {
			if (type.isAnnotatedWith(ConfigurationProperties.class)) {
				Class<?> properties = type.reflect();
				settings(properties.getAnnotation(ConfigurationProperties.class).value(), properties, settings);
			}
		}
		assertThat(settings).as("settings found").hasSizeGreaterThan(40);
		// A map's entries are documented as `name.<Key>`.
		assertThat(settings.stream()
			.filter((setting) -> !page.contains("`" + setting + (setting.endsWith(".<") ? "" : "`"))))
			.as("settings missing from " + SETTINGS)
			.isEmpty();
	}

	@Test
	void everyRelativeLinkResolves() throws IOException {
		List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("fhir-profiles", "README.md")));
		try (Stream<Path> reference = Files.list(SETTINGS.getParent())) {
			pages.addAll(reference.filter((page) -> page.toString().endsWith(".md")).sorted().toList());
		}
		List<String> broken = new ArrayList<>();
		int links = 0;
		for (Path page : pages) {
			Matcher link = LINK.matcher(Files.readString(page));
			while (link.find()) {
				String target = link.group(1);
				if (target.matches("[a-z]+:.*")) {
					continue;
				}
				links++;
				Path resolved = page.toAbsolutePath().getParent().resolve(target).normalize();
				if (!Files.exists(resolved)) {
					broken.add(page + " -> " + target);
				}
			}
		}
		assertThat(links).as("relative links found").isGreaterThan(20);
		assertThat(broken).as("links to files that do not exist").isEmpty();
	}

	/**
	 * A record's settings: each component in kebab case, nested records by their prefix.
	 */
	private static void settings(String prefix, Class<?> type, List<String> settings) {
		for (RecordComponent component : type.getRecordComponents()) {
			String name = prefix + "." + component.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
			Class<?> value = component.getType();
			if (value.isRecord() && value.getName().startsWith("health.crosswalk.")) {
				settings(name, value, settings);
			}
			else if (Map.class.isAssignableFrom(value)) {
				settings.add(name + ".<");
			}
			else {
				settings.add(name);
			}
		}
	}

}

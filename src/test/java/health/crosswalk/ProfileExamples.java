package health.crosswalk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The JSON examples in {@code fhir-profiles/examples}, for tests that hold code to HAPI's
 * or to the validator on every one of them.
 */
public final class ProfileExamples {

	/** Where the examples are, from the project's directory. */
	public static final Path DIRECTORY = Path.of("fhir-profiles", "examples");

	private ProfileExamples() {
	}

	/**
	 * @return every example's JSON file, by name; never empty
	 */
	public static List<Path> files() {
		try (Stream<Path> listed = Files.list(DIRECTORY)) {
			List<Path> files = listed.filter((file) -> file.toString().endsWith(".json")).sorted().toList();
			if (files.isEmpty()) {
				throw new IllegalStateException("No JSON examples in " + DIRECTORY.toAbsolutePath());
			}
			return files;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param fhir the context to parse with
	 * @param file one of {@link #files()}
	 * @return the example, parsed
	 */
	public static IBaseResource parse(FhirContext fhir, Path file) {
		try {
			return fhir.newJsonParser().parseResource(Files.readString(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param fhir the context to parse with
	 * @return every example, parsed, in the order of {@link #files()}
	 */
	public static List<IBaseResource> parsed(FhirContext fhir) {
		return files().stream().map((file) -> parse(fhir, file)).toList();
	}

}

package health.crosswalk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No line comment holds a stub the formatter broke off: spring-javaformat wraps a
 * {@code //} comment line longer than its width at the last word or two, leaving "// on."
 * on a line of its own. Write the comment in lines of even length instead.
 */
class SourceCommentsTest {

	private static final Pattern LINE_COMMENT = Pattern.compile("^(\\s*)// (.*)$");

	/** The formatter's width, and the columns a tab counts for. */
	private static final int WRAPPED_AT = 82;

	@Test
	void noCommentEndsInAWordTheFormatterBrokeOff() throws IOException {
		List<String> broken = new ArrayList<>();
		try (Stream<Path> files = Files.walk(Path.of("src"))) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).sorted().toList()) {
				broken.addAll(broken(file, Files.readAllLines(file)));
			}
		}
		assertThat(broken).as("comment lines of a word or two the formatter broke off").isEmpty();
	}

	static List<String> broken(Path file, List<String> lines) {
		List<String> broken = new ArrayList<>();
		for (int i = 0; i + 1 < lines.size(); i++) {
			Matcher first = LINE_COMMENT.matcher(lines.get(i));
			Matcher second = LINE_COMMENT.matcher(lines.get(i + 1));
			if (first.matches() && second.matches() && first.group(1).equals(second.group(1))
					&& lines.get(i).replace("\t", "    ").length() >= WRAPPED_AT
					&& second.group(2).trim().split("\\s+").length <= 2) {
				broken.add(file + ":" + (i + 2) + ": " + second.group(2));
			}
		}
		return broken;
	}

	@Test
	void findsTheStubTheFormatterLeaves() {
		List<String> wrapped = List.of("\t\t// The server's own writes (hospital Organizations, search parameters) are",
				"\t\t// trusted.");
		List<String> even = List.of("\t\t// The server's own writes (hospital Organizations,",
				"\t\t// search parameters) are trusted.");
		assertThat(broken(Path.of("A.java"), wrapped)).hasSize(1);
		assertThat(broken(Path.of("A.java"), even)).isEmpty();
	}

}

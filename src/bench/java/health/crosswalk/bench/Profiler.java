package health.crosswalk.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.sun.tools.attach.VirtualMachine;

/**
 * async-profiler ({@code tools.profiler:async-profiler}, whose jar carries the native
 * library) attached to the server process, one session per phase of the benchmark: each
 * phase leaves a flame graph ({@code <phase>.html}) and its collapsed stacks, from which
 * {@link Profile} tells the top frames and the share of each part of the server.
 *
 * <p>
 * It samples CPU time through perf events where the kernel allows them, else through an
 * interval timer, every 10 ms (async-profiler's default): about 1 % overhead on the CPU
 * the phase measures.
 */
final class Profiler {

	private final long pid;

	private final Path library;

	private final Path directory;

	private String event;

	private Profiler(long pid, Path library, Path directory) {
		this.pid = pid;
		this.library = library;
		this.directory = directory;
	}

	/**
	 * Prepares to profile a process.
	 * @param pid the server's process
	 * @param directory where the flame graphs go
	 * @return the profiler, or null where async-profiler has no library for this machine
	 */
	static Profiler of(long pid, Path directory) throws IOException {
		String platform = switch (System.getProperty("os.arch")) {
			case "amd64", "x86_64" -> "linux-x64";
			case "aarch64" -> "linux-arm64";
			default -> null;
		};
		if (platform == null || !System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
			return null;
		}
		Files.createDirectories(directory);
		Path library = directory.resolve("libasyncProfiler.so");
		try (InputStream in = Profiler.class.getResourceAsStream("/" + platform + "/libasyncProfiler.so")) {
			if (in == null) {
				return null;
			}
			Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
		}
		return new Profiler(pid, library, directory);
	}

	/** Starts sampling. */
	void start() throws IOException {
		if (this.event == null) {
			try {
				command("start,event=cpu");
				this.event = "cpu";
				return;
			}
			catch (IOException perfEventsRefused) {
				this.event = "itimer";
			}
		}
		command("start,event=" + this.event);
	}

	/**
	 * Stops sampling and writes the phase's flame graph.
	 * @param phase the phase's name
	 * @return what was sampled
	 */
	Profile stop(String phase) throws IOException {
		String name = phase.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("(^-|-$)", "").toLowerCase(Locale.ROOT);
		Path collapsed = this.directory.resolve(name + ".collapsed");
		Path html = this.directory.resolve(name + ".html");
		command("dump,collapsed,file=" + collapsed);
		command("stop,title=" + name + ",file=" + html);
		try {
			return Profile.read(phase, this.event, collapsed, html);
		}
		finally {
			// Deep stacks make it large (hundreds of MB for an ingest); the flame graph
			// holds the same.
			Files.deleteIfExists(collapsed);
		}
	}

	private void command(String command) throws IOException {
		VirtualMachine vm;
		try {
			vm = VirtualMachine.attach(Long.toString(this.pid));
		}
		catch (com.sun.tools.attach.AttachNotSupportedException ex) {
			throw new IOException("cannot attach to the server: " + ex.getMessage(), ex);
		}
		try {
			vm.loadAgentPath(this.library.toString(), command);
		}
		catch (com.sun.tools.attach.AgentLoadException | com.sun.tools.attach.AgentInitializationException ex) {
			throw new IOException("async-profiler refused '" + command + "': " + ex.getMessage(), ex);
		}
		finally {
			vm.detach();
		}
	}

	/**
	 * What one phase's samples show.
	 *
	 * @param phase the phase
	 * @param event what was sampled ({@code cpu} or {@code itimer})
	 * @param samples the samples taken
	 * @param flameGraph the flame graph
	 * @param topFrames the frames most often on top of the stack, with their share
	 * @param parts the share of samples in which each part of the server is on the stack
	 */
	record Profile(String phase, String event, long samples, Path flameGraph, List<Share> topFrames,
			List<Share> parts) {

		private static final Pattern WRAPPER = Pattern.compile("Filter(\\$[^.]*)?\\.");

		/** Parts of the server, told by the frames on the stack (first match wins). */
		private static final Map<String, String[]> PARTS = partDefinitions();

		static Profile read(String phase, String event, Path collapsed, Path html) throws IOException {
			Map<String, Long> self = new HashMap<>();
			Map<String, Long> inclusive = new HashMap<>();
			long total = 0;
			for (String line : Files.readAllLines(collapsed)) {
				int space = line.lastIndexOf(' ');
				if (space < 0) {
					continue;
				}
				long count = Long.parseLong(line.substring(space + 1).trim());
				String[] frames = line.substring(0, space).split(";");
				total += count;
				self.merge(frames[frames.length - 1], count, Long::sum);
				Set<String> seen = new HashSet<>();
				for (String frame : frames) {
					if (WRAPPER.matcher(frame).find()) {
						// A servlet filter wraps the whole request: what it calls is not
						// its own cost.
						continue;
					}
					for (Map.Entry<String, String[]> part : PARTS.entrySet()) {
						if (!seen.contains(part.getKey()) && matches(frame, part.getValue())) {
							seen.add(part.getKey());
						}
					}
				}
				for (String part : seen) {
					inclusive.merge(part, count, Long::sum);
				}
			}
			return new Profile(phase, event, total, html, top(self, total, 12), top(inclusive, total, PARTS.size()));
		}

		/**
		 * The parts of the server a profile tells apart, in the order the report lists
		 * them.
		 */
		static List<String> partNames() {
			return List.copyOf(PARTS.keySet());
		}

		private static boolean matches(String frame, String[] prefixes) {
			for (String prefix : prefixes) {
				if (frame.startsWith(prefix)) {
					return true;
				}
			}
			return false;
		}

		private static List<Share> top(Map<String, Long> counts, long total, int limit) {
			List<Share> shares = new ArrayList<>();
			counts.entrySet()
				.stream()
				.sorted(Comparator.comparingLong((Map.Entry<String, Long> entry) -> -entry.getValue()))
				.limit(limit)
				.forEach((entry) -> shares
					.add(new Share(entry.getKey(), (total > 0) ? (double) entry.getValue() / total : 0)));
			return shares;
		}

		private static Map<String, String[]> partDefinitions() {
			Map<String, String[]> parts = new LinkedHashMap<>();
			parts.put("profile validation", new String[] { "org/hl7/fhir/validation", "org/hl7/fhir/r5/",
					"org/hl7/fhir/common/hapi/validation", "health/crosswalk/profiles" });
			parts.put("FHIR parsing and encoding", new String[] { "ca/uhn/fhir/parser" });
			parts.put("audit", new String[] { "health/crosswalk/audit" });
			parts.put("linkage", new String[] { "health/crosswalk/linkage" });
			parts.put("security", new String[] { "health/crosswalk/security" });
			parts.put("limits", new String[] { "health/crosswalk/limits" });
			parts.put("HAPI JPA (DAOs, search, indexing)", new String[] { "ca/uhn/fhir/jpa" });
			parts.put("Hibernate", new String[] { "org/hibernate" });
			parts.put("JDBC (pgjdbc)", new String[] { "org/postgresql" });
			parts.put("garbage collection", new String[] { "G1", "GC Thread", "Gang" });
			parts.put("JIT compiler", new String[] { "C2Compiler", "C1 CompilerThread", "CompileBroker" });
			return parts;
		}

	}

	/**
	 * @param name a frame, or a part of the server
	 * @param share its share of the samples, 0 to 1
	 */
	record Share(String name, double share) {
	}

}

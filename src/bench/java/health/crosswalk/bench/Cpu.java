package health.crosswalk.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A process's CPU time at one moment, from /proc: in all (user and system, every thread,
 * also those that ended) and in HotSpot's JIT compiler threads
 * ({@code C1 CompilerThread*} and {@code C2 CompilerThread*}), so that a phase's CPU can
 * be told with and without the compilation it paid for once.
 *
 * <p>
 * A compiler thread that ends within a phase (HotSpot stops idle ones) takes its time
 * with it: the compiler's share is then counted short, never long, and the CPU outside it
 * long, never short.
 *
 * @param ticks the process's CPU, in clock ticks (1/100 s)
 * @param compilerTicks each compiler thread's CPU by thread id, in clock ticks
 */
record Cpu(long ticks, Map<Long, Long> compilerTicks) {

	private static final double TICKS_PER_SECOND = 100.0;

	/**
	 * Reads a process's CPU now.
	 * @param pid the process
	 * @return its CPU
	 */
	static Cpu of(long pid) throws IOException {
		Path process = Path.of("/proc", Long.toString(pid));
		long ticks = ticks(Files.readString(process.resolve("stat")));
		Map<Long, Long> compiler = new HashMap<>();
		try (Stream<Path> tasks = Files.list(process.resolve("task"))) {
			tasks.forEach((task) -> {
				String stat = read(task.resolve("stat"));
				if (stat != null && isCompiler(stat)) {
					compiler.put(Long.parseLong(task.getFileName().toString()), ticks(stat));
				}
			});
		}
		return new Cpu(ticks, Map.copyOf(compiler));
	}

	/**
	 * What the process spent since an earlier reading.
	 * @param before the earlier reading
	 * @return CPU seconds in all and in the JIT compiler
	 */
	Spent since(Cpu before) {
		long compiler = 0;
		for (Map.Entry<Long, Long> thread : this.compilerTicks.entrySet()) {
			compiler += thread.getValue() - before.compilerTicks.getOrDefault(thread.getKey(), 0L);
		}
		return new Spent((this.ticks - before.ticks) / TICKS_PER_SECOND, compiler / TICKS_PER_SECOND);
	}

	/**
	 * User and system ticks from a /proc stat line.
	 * @param stat the line
	 * @return its ticks
	 */
	static long ticks(String stat) {
		// The name may hold spaces and parentheses: fields are counted after its end.
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	/**
	 * Whether a /proc stat line is a HotSpot JIT compiler thread's.
	 * @param stat the line
	 * @return true for C1 and C2 compiler threads
	 */
	static boolean isCompiler(String stat) {
		String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
		return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
	}

	private static String read(Path stat) {
		try {
			return Files.readString(stat);
		}
		catch (NoSuchFileException ended) {
			return null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * CPU spent over a phase.
	 *
	 * @param seconds in all
	 * @param compilerSeconds of which in the JIT compiler threads
	 */
	record Spent(double seconds, double compilerSeconds) {

		static final Spent UNKNOWN = new Spent(Double.NaN, Double.NaN);

		/** This and another phase's CPU together. */
		Spent plus(Spent other) {
			return new Spent(this.seconds + other.seconds, this.compilerSeconds + other.compilerSeconds);
		}

		/** Seconds outside the JIT compiler. */
		double outsideCompiler() {
			return this.seconds - this.compilerSeconds;
		}

	}

}

package health.crosswalk.bench;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CpuTest {

	private static final String COMPILER = "4242 (C2 CompilerThre) S 1 1 1 0 -1 4194368 1 0 0 0 310 27 0 0 20 0 19 0";

	@Test
	void readsUserAndSystemTicksAfterANameWithSpacesAndParentheses() {
		assertThat(Cpu.ticks(COMPILER)).isEqualTo(337);
		assertThat(Cpu.ticks("7 (a) b) (c) R 1 1 1 0 -1 4194368 1 0 0 0 5 6 0 0 20 0 19 0")).isEqualTo(11);
	}

	@Test
	void knowsHotSpotsCompilerThreadsByName() {
		assertThat(Cpu.isCompiler(COMPILER)).isTrue();
		assertThat(Cpu.isCompiler(COMPILER.replace("C2 ", "C1 "))).isTrue();
		assertThat(Cpu.isCompiler(COMPILER.replace("C2 CompilerThre", "GC Thread#0"))).isFalse();
		assertThat(Cpu.isCompiler(COMPILER.replace("C2 CompilerThre", "http-nio-8080-e"))).isFalse();
	}

	@Test
	void countsANewCompilerThreadWholeAndOneThatEndedNot() {
		Cpu before = new Cpu(1000, Map.of(1L, 100L, 2L, 50L));
		Cpu after = new Cpu(1500, Map.of(1L, 180L, 3L, 20L));

		Cpu.Spent spent = after.since(before);

		assertThat(spent.seconds()).isEqualTo(5.0);
		assertThat(spent.compilerSeconds()).isEqualTo(1.0);
		assertThat(spent.outsideCompiler()).isEqualTo(4.0);
	}

	@Test
	void readsThisProcessWithItsCompilerThreads() throws Exception {
		Cpu cpu = Cpu.of(ProcessHandle.current().pid());

		assertThat(cpu.ticks()).isPositive();
		assertThat(cpu.compilerTicks()).isNotEmpty();
		assertThat(cpu.compilerTicks().values())
			.allSatisfy((ticks) -> assertThat(ticks).isLessThanOrEqualTo(cpu.ticks()));
	}

	@Test
	void addsUpTwoPhasesAndKeepsAnUnknownUnknown() {
		Cpu.Spent both = new Cpu.Spent(2.5, 0.5).plus(new Cpu.Spent(1.0, 0.25));
		assertThat(both.seconds()).isEqualTo(3.5);
		assertThat(both.outsideCompiler()).isEqualTo(2.75);
		assertThat(Cpu.Spent.UNKNOWN.plus(both).seconds()).isNaN();
	}

}

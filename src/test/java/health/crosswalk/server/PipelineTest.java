package health.crosswalk.server;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.executor.InterceptorService;
import ca.uhn.fhir.rest.server.RestfulServer;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import health.crosswalk.server.Pipeline.Service;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class PipelineTest {

	private final RestfulServer rest = new RestfulServer(FhirContext.forR4Cached());

	private final InterceptorService storage = new InterceptorService();

	private final Pipeline pipeline = new Pipeline(this.rest, this.storage);

	@Test
	void storageHooksGoOnTheStorageServiceOnly() {
		StorageHooks hooks = new StorageHooks();

		this.pipeline.add(hooks);

		assertThat(this.storage.getAllRegisteredInterceptors()).containsExactly(hooks);
		assertThat(this.rest.getInterceptorService().getAllRegisteredInterceptors()).doesNotContain(hooks);
	}

	@Test
	void serverHooksGoOnTheRestfulServerOnly() {
		ServerHooks hooks = new ServerHooks();

		this.pipeline.add(hooks);

		assertThat(this.rest.getInterceptorService().getAllRegisteredInterceptors()).contains(hooks);
		assertThat(this.storage.getAllRegisteredInterceptors()).isEmpty();
	}

	@Test
	void anObjectIsRegisteredOnce() {
		StorageHooks hooks = new StorageHooks();
		this.pipeline.add(hooks);

		assertThatIllegalStateException().isThrownBy(() -> this.pipeline.add(hooks)).withMessageContaining("twice");
		assertThat(this.storage.getAllRegisteredInterceptors()).containsExactly(hooks);
	}

	@Test
	void serverAndStorageHooksInOneObjectAreRefused() {
		assertThatIllegalStateException().isThrownBy(() -> this.pipeline.add(new MixedHooks()))
			.withMessageContaining("split it");
		assertThat(this.storage.getAllRegisteredInterceptors()).isEmpty();
	}

	@Test
	void everyCrosswalkHookHasOneServiceAndAPositionNamedByThePipeline() throws IllegalAccessException {
		Set<Integer> positions = hookOrders();
		List<String> hooks = new ArrayList<>();
		for (Class<?> type : hookClasses()) {
			Service service = Pipeline.serviceOf(type);
			for (Method method : type.getDeclaredMethods()) {
				Hook hook = method.getAnnotation(Hook.class);
				if (hook != null) {
					hooks.add(type.getSimpleName() + "." + method.getName());
					assertThat(positions).as(type.getName() + "." + method.getName() + " runs at a Pipeline position")
						.contains(hook.order());
					assertThat(Pipeline.serviceOf(hook.value())).isEqualTo(service);
				}
			}
		}
		assertThat(hooks).as("hooks found").hasSizeGreaterThan(25).contains("ProfileHooks.created");
	}

	private static Set<Integer> hookOrders() throws IllegalAccessException {
		Set<Integer> orders = new HashSet<>();
		for (Field field : Pipeline.class.getFields()) {
			if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class
					&& !field.getName().endsWith("_FILTER")) {
				orders.add(field.getInt(null));
			}
		}
		return orders;
	}

	private static List<Class<?>> hookClasses() {
		return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("health.crosswalk")
			.stream()
			.filter((type) -> type.getMethods().stream().anyMatch((method) -> method.isAnnotatedWith(Hook.class)))
			.map(JavaClass::reflect)
			.collect(Collectors.toList());
	}

	@Interceptor
	static final class StorageHooks {

		@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = Pipeline.VALIDATION)
		void created(IBaseResource resource) {
		}

	}

	@Interceptor
	static final class ServerHooks {

		@Hook(value = Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED, order = Pipeline.DESCRIBE)
		void statement() {
		}

	}

	@Interceptor
	static final class MixedHooks {

		@Hook(value = Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED, order = Pipeline.DESCRIBE)
		void statement() {
		}

		@Hook(value = Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, order = Pipeline.VALIDATION)
		void created(IBaseResource resource) {
		}

	}

}

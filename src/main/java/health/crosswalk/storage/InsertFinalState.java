package health.crosswalk.storage;

import java.util.List;
import java.util.Objects;

import ca.uhn.fhir.jpa.model.entity.ResourceHistoryTable;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import org.hibernate.boot.Metadata;
import org.hibernate.boot.spi.BootstrapContext;
import org.hibernate.engine.spi.EntityEntry;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.engine.spi.Status;
import org.hibernate.event.service.spi.EventListenerRegistry;
import org.hibernate.event.spi.EventType;
import org.hibernate.event.spi.FlushEntityEvent;
import org.hibernate.event.spi.FlushEntityEventListener;
import org.hibernate.event.spi.PreInsertEvent;
import org.hibernate.integrator.spi.Integrator;
import org.hibernate.jpa.boot.spi.IntegratorProvider;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.service.spi.SessionFactoryServiceRegistry;
import org.hibernate.type.Type;

/**
 * Writes a new resource's row and its version's row once, with their final values,
 * instead of inserting them and then updating them in the same flush.
 * <p>
 * HAPI persists an {@code HFJ_RESOURCE} row before it has finished with it (in a
 * transaction bundle, before the placeholder references are resolved and the resource
 * indexed, then sets the hash and the index flags), and sets a new version's request id
 * and source just after persisting its {@code HFJ_RES_VER} row. Hibernate captures a
 * row's values when it is persisted and inserts those at the flush; its dirty check then
 * finds the later changes and updates the row it has just inserted. That doubles the
 * statements of a write, its WAL, and (PostgreSQL keeps the dead first version, and
 * stores a large text twice) the table's growth.
 * <p>
 * This listener runs first in each flush, for those two entities only, while the insert
 * is still pending: it copies the entity's current values into the pending insert's
 * values, which are also what the dirty check compares against (Hibernate keeps one array
 * for both). The insert then writes what insert-then-update would have left, and the
 * dirty check finds nothing to update. It copies only plain values (no associations or
 * collections) that are both insertable and updatable, so nothing the update would not
 * have written is written; it leaves the entity alone once its insert has run, when it is
 * being deleted, or when HAPI has raised its {@code @Version} since (a second version in
 * the same transaction), where Hibernate's update must run.
 */
final class InsertFinalState implements FlushEntityEventListener {

	/**
	 * The listener for Hibernate's {@code hibernate.integrator_provider} setting.
	 */
	static IntegratorProvider provider() {
		return () -> List.of(new Integrator() {
			@Override
			public void integrate(Metadata metadata, BootstrapContext bootstrapContext,
					SessionFactoryImplementor sessionFactory) {
				EventListenerRegistry listeners = sessionFactory.getServiceRegistry()
					.requireService(EventListenerRegistry.class);
				listeners.prependListeners(EventType.FLUSH_ENTITY, new InsertFinalState());
				listeners.appendListeners(EventType.PRE_INSERT, InsertFinalState::sameValues);
			}

			@Override
			public void disintegrate(SessionFactoryImplementor sessionFactory,
					SessionFactoryServiceRegistry serviceRegistry) {
			}
		});
	}

	/**
	 * Fails an insert of either entity whose values are not the array the dirty check
	 * compares against: the fold relies on Hibernate keeping one array for both, and
	 * would otherwise lose the final values without a word (a Hibernate upgrade that
	 * copies them fails every write here, and the tests, instead).
	 */
	static boolean sameValues(PreInsertEvent event) {
		Object entity = event.getEntity();
		if (entity instanceof ResourceTable || entity instanceof ResourceHistoryTable) {
			EntityEntry entry = event.getSession().getPersistenceContextInternal().getEntry(entity);
			if (entry != null && entry.getLoadedState() != null && entry.getLoadedState() != event.getState()) {
				throw new IllegalStateException(
						"Hibernate inserts a " + entity.getClass().getSimpleName() + " from a copy of its values; "
								+ InsertFinalState.class.getName() + " cannot work with this version of Hibernate");
			}
		}
		return false;
	}

	@Override
	public void onFlushEntity(FlushEntityEvent event) {
		Object entity = event.getEntity();
		if (entity instanceof ResourceTable || entity instanceof ResourceHistoryTable) {
			EntityEntry entry = event.getEntityEntry();
			if (entry.getStatus() == Status.MANAGED && !entry.isExistsInDatabase() && entry.getLoadedState() != null) {
				if (entity instanceof ResourceTable resource) {
					// What its @PreUpdate callback would have done (a field for full-text
					// search only, which Crosswalk leaves off).
					resource.preSave();
				}
				foldInto(entry.getLoadedState(), entity, entry.getPersister(), event.getFactory());
			}
		}
	}

	/**
	 * Copies the entity's current plain, insertable and updatable values into the values
	 * its pending insert will write.
	 * @param pending the pending insert's values (also the dirty check's snapshot)
	 * @param entity the entity
	 * @param persister its persister
	 * @param factory the session factory, for copies of mutable values
	 */
	static void foldInto(Object[] pending, Object entity, EntityPersister persister,
			SessionFactoryImplementor factory) {
		int version = persister.isVersioned() ? persister.getVersionProperty() : -1;
		if (version >= 0 && !Objects.equals(pending[version], persister.getValue(entity, version))) {
			return;
		}
		Type[] types = persister.getPropertyTypes();
		boolean[] insertable = persister.getPropertyInsertability();
		boolean[] updatable = persister.getPropertyUpdateability();
		for (int i = 0; i < types.length; i++) {
			if (i == version || !insertable[i] || !updatable[i] || types[i].isAssociationType()) {
				continue;
			}
			Object current = persister.getValue(entity, i);
			if (!types[i].isSame(pending[i], current)) {
				pending[i] = types[i].deepCopy(current, factory);
			}
		}
	}

}

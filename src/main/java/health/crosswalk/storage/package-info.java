/**
 * HAPI FHIR JPA storage on PostgreSQL.
 *
 * <p>
 * Design:
 * <ul>
 * <li>Imports HAPI's own configurations ({@code JpaR4Config}, {@code HapiJpaConfig},
 * {@code JpaBatch2Config}, {@code Batch2JobsConfig}, {@code SubscriptionChannelConfig},
 * {@code ThreadPoolFactoryConfig}) and supplies what they expect: storage and partition
 * settings, the entity manager factory and the transaction manager. These HAPI
 * configurations reference each other in cycles;
 * {@code spring.main.allow-circular-references} is set for them and for nothing
 * else.</li>
 * <li>Schema: {@link health.crosswalk.storage.HapiSchemaMigration} runs HAPI's migrator
 * (history table {@code FLY_HFJ_MIGRATION}) before the entity manager factory is built;
 * Hibernate then only validates ({@code hbm2ddl=validate}).</li>
 * <li>{@link health.crosswalk.storage.CrosswalkStorageSettings} holds every storage
 * choice with its reason.</li>
 * </ul>
 * Transactions: HAPI opens one per REST interaction (one for a whole transaction bundle).
 * No interceptors of its own.
 */
package health.crosswalk.storage;

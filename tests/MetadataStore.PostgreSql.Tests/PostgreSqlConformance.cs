using MetadataStore.Conformance;

namespace MetadataStore.PostgreSql.Tests;

// The whole backend conformance suite, on PostgreSQL: a fresh schema per store on the test server.
public sealed class PostgreSqlApiShapeConformance() : ApiShapeConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlAsynchronyConformance() : AsynchronyConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlAtomicityConformance() : AtomicityConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlConcurrencyConformance() : ConcurrencyConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlContextLinkConformance() : ContextLinkConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlConvenienceConformance() : ConvenienceConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlEventConformance() : EventConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlFieldMaskConformance() : FieldMaskConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlFilterConformance() : FilterConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlFilterExamplesConformance() : FilterExamplesConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlFilterFuzzConformance() : FilterFuzzConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlHostileArgumentConformance() : HostileArgumentConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlIndexedListingConformance() : IndexedListingConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlInputCheckConformance() : InputCheckConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlLineageSubgraphConformance() : LineageSubgraphConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlLineageTraversalConformance() : LineageTraversalConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlListingConformance() : ListingConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlMultiProcessConformance() : MultiProcessConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlNodeConformance() : NodeConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlParentContextConformance() : ParentContextConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlPutExecutionConformance() : PutExecutionConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlPutLineageSubgraphConformance() : PutLineageSubgraphConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlStorageBehaviourConformance() : StorageBehaviourConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlTimestampConformance() : TimestampConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlTypeCacheConformance() : TypeCacheConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlTypeConformance() : TypeConformance(new PostgreSqlStoreFactory());

public sealed class PostgreSqlValueConformance() : ValueConformance(new PostgreSqlStoreFactory());


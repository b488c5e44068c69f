using MetadataStore.Conformance;

namespace MetadataStore.Tests.Conformance;

// The backend conformance suite, run on an in-memory SQLite database and on a SQLite file.
public sealed class InMemorySqliteTypeConformance() : TypeConformance(new InMemorySqliteFactory());

public sealed class FileSqliteTypeConformance() : TypeConformance(new FileSqliteFactory());

public sealed class InMemorySqliteNodeConformance() : NodeConformance(new InMemorySqliteFactory());

public sealed class FileSqliteNodeConformance() : NodeConformance(new FileSqliteFactory());

public sealed class InMemorySqliteFieldMaskConformance() : FieldMaskConformance(new InMemorySqliteFactory());

public sealed class FileSqliteFieldMaskConformance() : FieldMaskConformance(new FileSqliteFactory());

public sealed class InMemorySqliteTimestampConformance() : TimestampConformance(new InMemorySqliteFactory());

public sealed class FileSqliteTimestampConformance() : TimestampConformance(new FileSqliteFactory());

public sealed class InMemorySqliteEventConformance() : EventConformance(new InMemorySqliteFactory());

public sealed class FileSqliteEventConformance() : EventConformance(new FileSqliteFactory());

public sealed class InMemorySqliteContextLinkConformance() : ContextLinkConformance(new InMemorySqliteFactory());

public sealed class FileSqliteContextLinkConformance() : ContextLinkConformance(new FileSqliteFactory());

public sealed class InMemorySqliteParentContextConformance() : ParentContextConformance(new InMemorySqliteFactory());

public sealed class FileSqliteParentContextConformance() : ParentContextConformance(new FileSqliteFactory());

public sealed class InMemorySqlitePutExecutionConformance() : PutExecutionConformance(new InMemorySqliteFactory());

public sealed class FileSqlitePutExecutionConformance() : PutExecutionConformance(new FileSqliteFactory());

public sealed class InMemorySqlitePutLineageSubgraphConformance() : PutLineageSubgraphConformance(new InMemorySqliteFactory());

public sealed class FileSqlitePutLineageSubgraphConformance() : PutLineageSubgraphConformance(new FileSqliteFactory());

public sealed class InMemorySqliteListingConformance() : ListingConformance(new InMemorySqliteFactory());

public sealed class FileSqliteListingConformance() : ListingConformance(new FileSqliteFactory());

public sealed class InMemorySqliteAtomicityConformance() : AtomicityConformance(new InMemorySqliteFactory());

public sealed class FileSqliteAtomicityConformance() : AtomicityConformance(new FileSqliteFactory());

public sealed class InMemorySqliteConvenienceConformance() : ConvenienceConformance(new InMemorySqliteFactory());

public sealed class FileSqliteConvenienceConformance() : ConvenienceConformance(new FileSqliteFactory());

public sealed class InMemorySqliteFilterConformance() : FilterConformance(new InMemorySqliteFactory());

public sealed class FileSqliteFilterConformance() : FilterConformance(new FileSqliteFactory());

public sealed class InMemorySqliteLineageSubgraphConformance() : LineageSubgraphConformance(new InMemorySqliteFactory());

public sealed class FileSqliteLineageSubgraphConformance() : LineageSubgraphConformance(new FileSqliteFactory());

public sealed class InMemorySqliteLineageTraversalConformance() : LineageTraversalConformance(new InMemorySqliteFactory());

public sealed class FileSqliteLineageTraversalConformance() : LineageTraversalConformance(new FileSqliteFactory());

public sealed class InMemorySqliteApiShapeConformance() : ApiShapeConformance(new InMemorySqliteFactory());

public sealed class FileSqliteApiShapeConformance() : ApiShapeConformance(new FileSqliteFactory());

public sealed class InMemorySqliteAsynchronyConformance() : AsynchronyConformance(new InMemorySqliteFactory());

public sealed class FileSqliteAsynchronyConformance() : AsynchronyConformance(new FileSqliteFactory());

public sealed class InMemorySqliteIndexedListingConformance() : IndexedListingConformance(new InMemorySqliteFactory());

public sealed class FileSqliteIndexedListingConformance() : IndexedListingConformance(new FileSqliteFactory());

public sealed class InMemorySqliteValueConformance() : ValueConformance(new InMemorySqliteFactory());

public sealed class FileSqliteValueConformance() : ValueConformance(new FileSqliteFactory());

public sealed class InMemorySqliteInputCheckConformance() : InputCheckConformance(new InMemorySqliteFactory());

public sealed class FileSqliteInputCheckConformance() : InputCheckConformance(new FileSqliteFactory());

// The sweep makes thousands of calls; it runs on the in-memory backend, where the same code paths are fastest.
public sealed class InMemorySqliteHostileArgumentConformance() : HostileArgumentConformance(new InMemorySqliteFactory());

public sealed class InMemorySqliteTypeCacheConformance() : TypeCacheConformance(new InMemorySqliteFactory());

public sealed class FileSqliteTypeCacheConformance() : TypeCacheConformance(new FileSqliteFactory());

public sealed class InMemorySqliteConcurrencyConformance() : ConcurrencyConformance(new InMemorySqliteFactory());

public sealed class FileSqliteConcurrencyConformance() : ConcurrencyConformance(new FileSqliteFactory());

// An in-memory database cannot be shared with another process, so only the file runs the multi-process test.
public sealed class FileSqliteMultiProcessConformance() : MultiProcessConformance(new FileSqliteFactory());

public sealed class InMemorySqliteStorageBehaviourConformance() : StorageBehaviourConformance(new InMemorySqliteFactory());

public sealed class FileSqliteStorageBehaviourConformance() : StorageBehaviourConformance(new FileSqliteFactory());

public sealed class InMemorySqliteFilterExamplesConformance() : FilterExamplesConformance(new InMemorySqliteFactory());

public sealed class FileSqliteFilterExamplesConformance() : FilterExamplesConformance(new FileSqliteFactory());

public sealed class InMemorySqliteFilterFuzzConformance() : FilterFuzzConformance(new InMemorySqliteFactory());

public sealed class FileSqliteFilterFuzzConformance() : FilterFuzzConformance(new FileSqliteFactory());

namespace MetadataStore;

/// <summary>The field a listing is ordered by; the node id always breaks ties.</summary>
public enum NodeOrder
{
    /// <summary>The node id (the default).</summary>
    Id = 0,
    /// <summary>The creation time.</summary>
    CreateTime = 1,
    /// <summary>The last update time.</summary>
    LastUpdateTime = 2,
}

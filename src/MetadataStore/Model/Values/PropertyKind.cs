namespace MetadataStore;

/// <summary>The kind of value a property holds. The numbers are MLMD's <c>PropertyType</c> values, stored in <c>TypeProperty.data_type</c>.</summary>
public enum PropertyKind
{
    /// <summary>No kind; never valid in a type's property schema.</summary>
    Unknown = 0,
    /// <summary>A 64-bit signed integer.</summary>
    Int = 1,
    /// <summary>A double-precision floating-point number, stored at full precision.</summary>
    Double = 2,
    /// <summary>A string.</summary>
    String = 3,
    /// <summary>A JSON-shaped structure (MLMD's <c>google.protobuf.Struct</c>).</summary>
    Struct = 4,
    /// <summary>A protocol buffer message packed as <c>google.protobuf.Any</c> (type URL and bytes).</summary>
    Proto = 5,
    /// <summary>A boolean.</summary>
    Boolean = 6,
}

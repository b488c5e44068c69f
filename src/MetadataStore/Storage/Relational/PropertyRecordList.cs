namespace MetadataStore.Storage.Relational;

/// <summary>Property rows kept as records, for the reads that return them.</summary>
internal sealed class PropertyRecordList : List<PropertyRecord>, IPropertyRowSink
{
    public void Add(long nodeId, string name, bool isCustom, in StoredValue value) => Add(new PropertyRecord(nodeId, name, isCustom, value));
}

using FluentAssertions;
using Xunit;

namespace MetadataStore.Tests.Api;

/// <summary>The read-only map a read gives each node: dictionary behaviour whether searched in place or indexed.</summary>
public sealed class PropertyMapTest
{
    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(40)]
    public void Map_looks_up_enumerates_in_order_and_refuses_missing_keys(int count)
    {
        var entries = Enumerable.Range(0, count).Select(i => KeyValuePair.Create($"k{count - i}", PropertyValue.FromInt(i))).ToArray();
        var map = new PropertyMap((KeyValuePair<string, PropertyValue>[])entries.Clone());

        map.Count.Should().Be(count);
        map.Should().Equal(entries);
        map.Keys.Should().Equal(entries.Select(e => e.Key));
        map.Values.Should().Equal(entries.Select(e => e.Value));
        foreach (var (key, value) in entries)
        {
            map[key].Should().BeSameAs(value);
            map.ContainsKey(key).Should().BeTrue();
            map.TryGetValue(key, out var found).Should().BeTrue();
            found.Should().BeSameAs(value);
        }

        map.ContainsKey("K1").Should().BeFalse("keys compare ordinally");
        map.TryGetValue("missing", out var none).Should().BeFalse();
        none.Should().BeNull();
        var read = () => map["missing"];
        read.Should().Throw<KeyNotFoundException>().WithMessage("*'missing'*");
        var nullKey = () => map.ContainsKey(null!);
        nullKey.Should().Throw<ArgumentNullException>();
    }

    [Fact]
    public void Node_with_map_equals_node_with_dictionary_of_same_content()
    {
        var values = new Dictionary<string, PropertyValue> { ["a"] = PropertyValue.FromInt(1), ["b"] = PropertyValue.FromString("x") };
        var fromDictionary = Artifact.Of("T") with { CustomProperties = values };
        var fromMap = Artifact.Of("T") with { CustomProperties = new PropertyMap([.. values.Reverse()]) };

        fromMap.Should().Be(fromDictionary);
        fromMap.GetHashCode().Should().Be(fromDictionary.GetHashCode());
        fromMap.WithCustom("c", 2).CustomProperties.Should().HaveCount(3);
    }
}

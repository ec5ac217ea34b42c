namespace ThriveStack.AutoTrack.Features;

/// <summary>An action's or handler's arguments by name: MVC's dictionary, or a minimal API's parameter names and values.</summary>
internal readonly struct ActionArguments
{
    private readonly IDictionary<string, object?>? _byName;
    private readonly string?[]? _names;
    private readonly IList<object?>? _values;

    public ActionArguments(IDictionary<string, object?> byName) => _byName = byName;

    public ActionArguments(string?[] names, IList<object?> values)
    {
        _names = names;
        _values = values;
    }

    public bool TryGet(string name, out object? value)
    {
        if (_byName is not null)
            return _byName.TryGetValue(name, out value);
        if (_names is not null && _values is not null)
        {
            for (var i = 0; i < _names.Length && i < _values.Count; i++)
            {
                if (string.Equals(_names[i], name, StringComparison.Ordinal))
                {
                    value = _values[i];
                    return true;
                }
            }
        }
        value = null;
        return false;
    }
}

using System.Text.Encodings.Web;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Razor.TagHelpers;
using ThriveStack.AutoTrack.Browser;

namespace ThriveStack.AutoTrack.Benchmarks;

/// <summary>
/// <c>&lt;thrivestack-script /&gt;</c> in an MVC layout, per page: the tag helper run and its output written, as the
/// layout writes it. <see cref="OnePiece"/> is the tag helper (its element as one cached piece of HTML);
/// <see cref="NameAndAttributes"/> writes the same element as a tag name with <c>src</c> and <c>defer</c> attributes,
/// which MVC builds and encodes on every page (the tag helper did so until 2026-12-05).
/// </summary>
[MemoryDiagnoser]
public class ScriptTagBenchmarks
{
    private static readonly Task<TagHelperContent> NoChildContent = Task.FromResult<TagHelperContent>(new DefaultTagHelperContent());

    private IServiceProvider _services = null!;
    private DefaultHttpContext _http = null!;
    private TagHelperContext _context = null!;
    private ViewContext _view = null!;
    private readonly StringWriter _writer = new();

    [GlobalSetup]
    public void Setup()
    {
        _services = BenchmarkServices.Build(_ => { });
        _http = new DefaultHttpContext { RequestServices = _services };
        _context = new TagHelperContext("thrivestack-script", [], new Dictionary<object, object>(), "id");
        _view = new ViewContext { HttpContext = _http }; // MVC's, made once per view: not the tag helper's cost
    }

    [Benchmark(Baseline = true)]
    public int NameAndAttributes()
    {
        var output = Output();
        var src = ScriptTag.Source(_http.RequestServices, _http.Request.PathBase)!;
        output.TagName = "script";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("src", src);
        output.Attributes.SetAttribute("defer", null);
        return Write(output);
    }

    [Benchmark]
    public int OnePiece()
    {
        var output = Output();
        new ThriveStackScriptTagHelper { ViewContext = _view }.Process(_context, output);
        return Write(output);
    }

    private static TagHelperOutput Output() => new("thrivestack-script", [], (_, _) => NoChildContent) { TagMode = TagMode.SelfClosing };

    private int Write(TagHelperOutput output)
    {
        _writer.GetStringBuilder().Clear();
        output.WriteTo(_writer, HtmlEncoder.Default);
        return _writer.GetStringBuilder().Length;
    }
}

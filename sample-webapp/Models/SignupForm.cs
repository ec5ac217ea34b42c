using System.ComponentModel.DataAnnotations;
using SampleWebApp.Services;

namespace SampleWebApp.Models;

public sealed class SignupForm
{
    [Required, StringLength(100)]
    public string Name { get; set; } = "";

    [Required, EmailAddress, StringLength(200)]
    public string Email { get; set; } = "";

    [Required, StringLength(100)]
    public string Company { get; set; } = "";
}

public sealed class LoginForm
{
    public string? ReturnUrl { get; set; }

    public IReadOnlyList<DemoUser> Users { get; set; } = [];

    public string? Error { get; set; }
}

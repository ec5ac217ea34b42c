using System.Collections.Concurrent;

namespace SampleWebApp.Services;

/// <summary>A user of the demo app.</summary>
public sealed record DemoUser(string Id, string Name, string Email, string AccountId, string Role);

/// <summary>An account (workspace) of the demo app.</summary>
public sealed record DemoAccount(string Id, string Name, string Domain);

/// <summary>In-memory users and accounts: the demo needs no database.</summary>
public sealed class DemoDirectory
{
    private readonly ConcurrentDictionary<string, DemoUser> _users = new();
    private readonly ConcurrentDictionary<string, DemoAccount> _accounts = new();

    public DemoDirectory()
    {
        var acme = AddAccount("Acme Corporation", "acme.com", "ac8db7ba-5139-4911-ba6e-523fd9c4704b");
        AddUser("John Doe", "john.doe@acme.com", acme.Id, "admin", "18f716ac-37a4-464f-adb7-3cc30032308c");
        AddUser("Jane Doe", "jane.doe@acme.com", acme.Id, "member", "ed1adb3a-9772-48ef-b620-e5e6d438fb82");
    }

    public IEnumerable<DemoUser> Users => _users.Values.OrderBy(u => u.Name);

    public DemoUser? FindUser(string? id) => id is not null && _users.TryGetValue(id, out var user) ? user : null;

    public DemoAccount? FindAccount(string? id) => id is not null && _accounts.TryGetValue(id, out var account) ? account : null;

    public IEnumerable<DemoUser> Members(string accountId) => _users.Values.Where(u => u.AccountId == accountId).OrderBy(u => u.Name);

    public DemoAccount AddAccount(string name, string domain, string? id = null)
    {
        var account = new DemoAccount(id ?? Guid.NewGuid().ToString(), name, domain);
        _accounts[account.Id] = account;
        return account;
    }

    public DemoUser AddUser(string name, string email, string accountId, string role, string? id = null)
    {
        var user = new DemoUser(id ?? Guid.NewGuid().ToString(), name, email, accountId, role);
        _users[user.Id] = user;
        return user;
    }
}

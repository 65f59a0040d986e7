# Used by .github/workflows/ci.yml on windows-latest: fails unless a file or folder gives access
# to SYSTEM, Administrators and the account running the job, and to no one else, with allow
# rules only. Without -Inherited (files and folders upm-auth gives its own rules): inheritance
# must be off, no rule inherited, and each of the three present. Accounts are compared by SID,
# not by name (names of built-in accounts are translated on non-English Windows).
function Assert-PrivateAcl {
  param([Parameter(Mandatory)] [string] $Path, [switch] $Inherited)
  $me = [Security.Principal.WindowsIdentity]::GetCurrent().User.Value
  $allowed = @('S-1-5-18', 'S-1-5-32-544', $me)
  $acl = Get-Acl -LiteralPath $Path
  $rules = @($acl.GetAccessRules($true, $true, [Security.Principal.SecurityIdentifier]))
  foreach ($rule in $rules) {
    $sid = $rule.IdentityReference.Value
    if ($allowed -notcontains $sid -or $rule.AccessControlType -ne 'Allow') {
      throw "$Path has a rule '$($rule.AccessControlType) $($rule.FileSystemRights)' for $sid; only SYSTEM, Administrators and $me may have any"
    }
    if (-not $Inherited -and $rule.IsInherited) { throw "$Path has a rule for $sid inherited from its folder" }
  }
  if (-not $Inherited) {
    if (-not $acl.AreAccessRulesProtected) { throw "$Path inherits access rules from its folder" }
    $present = $rules | ForEach-Object { $_.IdentityReference.Value }
    foreach ($sid in $allowed) {
      if ($present -notcontains $sid) { throw "$Path has no rule for $sid" }
    }
  }
  Write-Host "ok: $Path ($(($rules | ForEach-Object { "$($_.IdentityReference.Value) $($_.FileSystemRights)" }) -join '; '))"
}

# Windows: install LeadDesk silently as the user would get it, run it, install
# again over itself (upgrade in place), uninstall silently, and check that the
# user's leads survived. Run by the release workflow on a Windows runner.
param(
    [Parameter(Mandatory)] [string] $Setup,
    [Parameter(Mandatory)] [string] $Version
)
$ErrorActionPreference = "Stop"
$installDir = Join-Path $env:LOCALAPPDATA "Programs\LeadDesk"
$dataDir = Join-Path $env:LOCALAPPDATA "LeadDesk"
$uninstallKey = "HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\LeadDesk"
$shortcut = Join-Path $env:APPDATA "Microsoft\Windows\Start Menu\Programs\LeadDesk.lnk"

function Fail([string] $message) { Write-Error $message; exit 1 }

Start-Process -FilePath $Setup -ArgumentList "/S" -Wait
if (-not (Test-Path "$installDir\LeadDesk.exe")) { Fail "LeadDesk.exe is not in $installDir" }
if (-not (Test-Path $shortcut)) { Fail "no Start-menu shortcut at $shortcut" }
$entry = Get-ItemProperty $uninstallKey
if ($entry.DisplayVersion -ne $Version) { Fail "Apps & features says $($entry.DisplayVersion), not $Version" }
foreach ($name in "DisplayName", "Publisher", "DisplayIcon", "UninstallString", "EstimatedSize") {
    if (-not $entry.$name) { Fail "the uninstall entry has no $name" }
}

# The installed program, on the user's default data folder.
$cli = "$installDir\leaddesk-cli.exe"
& $cli info --json
if ($LASTEXITCODE -ne 0) { Fail "leaddesk-cli info failed" }
& $cli demo --count 5
if (-not (Test-Path "$dataDir\leaddesk.sqlite3")) { Fail "no database in $dataDir" }
python packaging/smoke_test.py $cli
if ($LASTEXITCODE -ne 0) { Fail "the smoke test of the installed program failed" }

# Upgrade in place: the same setup over the installed one.
Start-Process -FilePath $Setup -ArgumentList "/S" -Wait
& $cli --version
if ($LASTEXITCODE -ne 0) { Fail "LeadDesk does not start after installing over itself" }

# A silent uninstall never ticks "Also remove my leads". _?= keeps the
# uninstaller in place so -Wait waits for the real work.
Start-Process -FilePath "$installDir\Uninstall LeadDesk.exe" -ArgumentList "/S", "_?=$installDir" -Wait
if (Test-Path "$installDir\LeadDesk.exe") { Fail "LeadDesk.exe is still installed" }
if (Test-Path $shortcut) { Fail "the Start-menu shortcut is still there" }
if (Test-Path $uninstallKey) { Fail "the Apps & features entry is still there" }
if (-not (Test-Path "$dataDir\leaddesk.sqlite3")) { Fail "uninstalling removed the user's leads" }
Write-Output "installer test passed: installed, ran, upgraded in place, uninstalled, leads kept"

<#
.SYNOPSIS
Build the Windows one-folder bundle (dist\dikjamila\), report its size and prove it works:
what tools/build_bundle.sh does on Linux, for the offices' Windows PCs.

.DESCRIPTION
From the repository, with a Windows Python 3.12 venv: installs the project and PyInstaller into
it (pip), runs PyInstaller on build.spec with the Python modules stored uncompressed, checks that
both executables exist (dikjamila.exe, the windowed workstation; dikjamila-cli.exe, the console
build for the command line and the WhatsApp worker), prints the unpacked size, the file count,
the size as a compressed archive and the 20 largest entries, then runs the same checks as the .sh:
`dikjamila.exe --self-test` (database, SOPs, log masking, a PDF page, and the bundled WhatsApp
worker started as the workstation starts it), `dikjamila-cli.exe --version`,
`dikjamila-cli.exe whatsapp worker --help`, phone numbers (a chat import with a mobile number; a
landline refused as one) and the kiosk screen staying up offscreen. Any failure stops the script
with a non-zero exit code.

With -Installer, and Inno Setup 6's ISCC.exe found, it then builds the installer from
packaging\dikjamila.iss into dist\ (dikjamila-<version>-setup.exe).

Written for Windows PowerShell 5.1 and PowerShell 7 (neither runs in the Linux CI:
tests/core/test_windows_packaging.py checks this script's structure against the .sh).

.PARAMETER Installer
Also build the Inno Setup installer (skipped with a warning when ISCC.exe is not found).

.PARAMETER KeepArchive
Keep the measured archive as dist\dikjamila-<version>-windows-<arch>.tar.xz (or .zip). The
environment variable KEEP_ARCHIVE=1 does the same, as for the .sh.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File tools\build_bundle.ps1 -Installer
$env:PYTHON = 'C:\Python312\python.exe'; tools\build_bundle.ps1
#>
[CmdletBinding()]
param(
    [switch]$Installer,
    [switch]$KeepArchive
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
# PowerShell 7.3+ could turn a native program's non-zero exit into an error by itself; every
# exit code is checked here instead (the landline check expects one).
$PSNativeCommandUseErrorActionPreference = $false

# PyInstaller is a build tool, not a dependency of the package: installed here, into the same
# environment, by pip, in the same range as tools/build_bundle.sh.
$PyInstallerSpec = 'pyinstaller>=6.10,<7'
$KioskSeconds = 8

function Assert-Exit([string]$What) {
    # Every native program's exit code is looked at: PowerShell itself does not stop on one.
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

function Invoke-Cli([string[]]$Arguments, [string]$Stdin = $null) {
    # dikjamila-cli.exe with $Arguments (and $Stdin on its standard input); returns its stdout and
    # stderr lines as strings. $LASTEXITCODE is the program's exit code when this returns.
    # Windows PowerShell 5.1 turns each stderr line of a redirected native program into an error
    # record, which 'Stop' would make fatal: the exit code decides here, not those records.
    $ErrorActionPreference = 'Continue'
    if ($Stdin) { $lines = $Stdin | & $Cli @Arguments 2>&1 } else { $lines = & $Cli @Arguments 2>&1 }
    $code = $LASTEXITCODE
    $text = @($lines | ForEach-Object { "$_" })
    $global:LASTEXITCODE = $code
    return $text
}

function Start-Gui([string[]]$Arguments, [string]$Name) {
    # dikjamila.exe (windowed: PowerShell would not wait for it, nor see its exit code) as a
    # process, its output in $tmp\$Name.out.txt / .err.txt. Arguments quoted for Windows.
    $quoted = foreach ($a in $Arguments) {
        if ($a -match '[\s"]') { '"' + ($a -replace '"', '\"') + '"' } else { $a }
    }
    $p = Start-Process -FilePath $Gui -ArgumentList ($quoted -join ' ') -PassThru -NoNewWindow `
        -RedirectStandardOutput (Join-Path $tmp "$Name.out.txt") -RedirectStandardError (Join-Path $tmp "$Name.err.txt")
    $null = $p.Handle  # keeps the process handle, or ExitCode is empty once the process has ended
    return $p
}

function Show-Output([string]$Name) {
    foreach ($suffix in 'out', 'err') {
        $file = Join-Path $tmp "$Name.$suffix.txt"
        if (Test-Path -LiteralPath $file) { Get-Content -LiteralPath $file | Write-Host }
    }
}

function Format-MB([double]$Bytes) {
    return ($Bytes / 1000000).ToString('0.0', [Globalization.CultureInfo]::InvariantCulture) + ' MB'
}

function Get-EntrySize([IO.FileSystemInfo]$Item) {
    if (($Item.Attributes -band [IO.FileAttributes]::ReparsePoint) -ne 0) { return [long]0 }
    if ($Item -is [IO.DirectoryInfo]) {
        $sum = (Get-ChildItem -LiteralPath $Item.FullName -Recurse -File -Force | Measure-Object -Property Length -Sum).Sum
        if ($null -eq $sum) { return [long]0 }
        return [long]$sum
    }
    return [long]$Item.Length
}

function Get-LargestEntries([string]$Folder, [long]$Limit) {
    # Files, and folders whole up to $Limit bytes; larger folders by their entries (as the .sh).
    foreach ($e in Get-ChildItem -LiteralPath $Folder -Force) {
        if (($e.Attributes -band [IO.FileAttributes]::ReparsePoint) -ne 0) { continue }
        $size = Get-EntrySize $e
        if ($e.PSIsContainer -and $size -gt $Limit) {
            Get-LargestEntries $e.FullName $Limit
        } else {
            $suffix = ''
            if ($e.PSIsContainer) { $suffix = '\' }
            [pscustomobject]@{ Path = $e.FullName + $suffix; Size = $size }
        }
    }
}

function Find-Iscc {
    $onPath = Get-Command 'iscc.exe' -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Source }
    $folders = @(${env:ProgramFiles(x86)}, $env:ProgramFiles, (Join-Path $env:LOCALAPPDATA 'Programs'))
    foreach ($folder in $folders) {
        if (-not $folder) { continue }
        $candidate = Join-Path $folder 'Inno Setup 6\ISCC.exe'
        if (Test-Path -LiteralPath $candidate) { return $candidate }
    }
    return $null
}

$Root = Split-Path -Parent $PSScriptRoot
Push-Location $Root
$tmp = Join-Path ([IO.Path]::GetTempPath()) ('dikjamila-bundle-' + [guid]::NewGuid().ToString('N'))
$kioskProcess = $null
$savedQpa = $env:QT_QPA_PLATFORM
try {
    $Py = $env:PYTHON
    if (-not $Py) { $Py = Join-Path $Root '.venv\Scripts\python.exe' }
    if (-not (Get-Command $Py -ErrorAction SilentlyContinue)) {
        throw "no Python at ${Py}: make the venv with Python 3.12 (py -3.12 -m venv .venv) or set `$env:PYTHON"
    }
    $Bundle = 'dist\dikjamila'
    $Gui = Join-Path $Root 'dist\dikjamila\dikjamila.exe'
    $Cli = Join-Path $Root 'dist\dikjamila\dikjamila-cli.exe'
    New-Item -ItemType Directory -Path $tmp | Out-Null

    & $Py -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'
    Assert-Exit "the Python 3.12 check of $Py (Dik Jamila needs Python 3.12 or newer)"
    & $Py -m pip install -q -e . $PyInstallerSpec
    Assert-Exit 'pip install of the project and PyInstaller'
    $version = & $Py -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])"
    Assert-Exit 'reading the version from pyproject.toml'
    $version = "$version".Trim()

    # The Python modules stored, not zlib-compressed, inside the executables (PyInstaller's own
    # setting), as the .sh does: larger on disk, but xz (and the installer's LZMA) packs them
    # smaller, and the download is what counts at an outpost on a slow connection.
    $env:PYINSTALLER_ZLIB_COMPRESSION_LEVEL = '0'
    try {
        & $Py -m PyInstaller --noconfirm --clean --log-level WARN build.spec
        Assert-Exit 'PyInstaller build.spec'
    } finally {
        Remove-Item Env:PYINSTALLER_ZLIB_COMPRESSION_LEVEL -ErrorAction SilentlyContinue
    }

    foreach ($exe in $Gui, $Cli) {
        if (-not (Test-Path -LiteralPath $exe -PathType Leaf)) { throw "missing: $exe" }
    }

    # --- sizes ----------------------------------------------------------------------------
    $files = @(Get-ChildItem -LiteralPath $Bundle -Recurse -File -Force)
    $unpacked = [long]($files | Measure-Object -Property Length -Sum).Sum
    $arch = "$env:PROCESSOR_ARCHITECTURE".ToLowerInvariant()
    $tar = Get-Command 'tar.exe' -ErrorAction SilentlyContinue
    $xz = Get-Command 'xz.exe' -ErrorAction SilentlyContinue
    if ($tar -and $xz) {
        $label = 'tar.xz'
        $tarFile = Join-Path $tmp 'dikjamila.tar'
        & $tar.Source -cf $tarFile -C dist dikjamila
        Assert-Exit 'tar.exe'
        & $xz.Source -T0 -6 $tarFile  # replaces dikjamila.tar by dikjamila.tar.xz
        Assert-Exit 'xz'
        $archive = "$tarFile.xz"
    } else {
        # No xz here (Windows' own tar.exe cannot write it): a zip, which is larger, and said so.
        $label = 'zip (Compress-Archive; no tar.exe + xz on this PC, so not comparable to the .sh''s tar.xz)'
        $archive = Join-Path $tmp 'dikjamila.zip'
        Compress-Archive -Path $Bundle -DestinationPath $archive -CompressionLevel Optimal
    }
    $packed = (Get-Item -LiteralPath $archive).Length
    Write-Host "== bundle $Bundle"
    Write-Host "unpacked: $(Format-MB $unpacked), $($files.Count) files"
    Write-Host "as ${label}: $(Format-MB $packed)"
    if ($KeepArchive -or $env:KEEP_ARCHIVE -eq '1') {
        $extension = [IO.Path]::GetExtension($archive)
        if ($extension -eq '.xz') { $extension = '.tar.xz' }
        $kept = "dist\dikjamila-$version-windows-$arch$extension"
        Move-Item -LiteralPath $archive -Destination $kept -Force
        Write-Host "archive kept: $kept"
    }
    Write-Host '20 largest entries (files; folders whole up to 8 MB, larger ones by their entries):'
    $bundleFull = (Resolve-Path -LiteralPath $Bundle).Path
    Get-LargestEntries $bundleFull 8000000 | Sort-Object -Property Size -Descending | Select-Object -First 20 |
        ForEach-Object {
            $mb = ($_.Size / 1e6).ToString('0.0', [Globalization.CultureInfo]::InvariantCulture)
            Write-Host ('  {0,8} MB  {1}' -f $mb, ($Bundle + $_.Path.Substring($bundleFull.Length)))
        }

    # --- does it work? --------------------------------------------------------------------
    $env:QT_QPA_PLATFORM = 'offscreen'
    Write-Host "== $Bundle\dikjamila.exe --self-test"
    $selfTest = Start-Gui @('--self-test') 'self-test'
    if (-not $selfTest.WaitForExit(300000)) {
        Stop-Process -Id $selfTest.Id -Force
        Show-Output 'self-test'
        throw 'dikjamila.exe --self-test did not end within 5 minutes'
    }
    Show-Output 'self-test'
    if ($selfTest.ExitCode -ne 0) { throw "dikjamila.exe --self-test failed (exit code $($selfTest.ExitCode))" }

    Write-Host "== $Bundle\dikjamila-cli.exe --version"
    $text = Invoke-Cli @('--version')
    Assert-Exit 'dikjamila-cli.exe --version'
    $text | Write-Host

    Write-Host "== $Bundle\dikjamila-cli.exe whatsapp worker --help"
    $text = (Invoke-Cli @('whatsapp', 'worker', '--help')) -join "`n"
    Assert-Exit 'dikjamila-cli.exe whatsapp worker --help'
    if (-not $text.Contains('--data-dir')) { Write-Host $text; throw 'worker --help lacks --data-dir' }

    # phonenumbers' region metadata must be there (build.spec leaves out its geocoder, carrier
    # and time-zone data): a mobile number is accepted, a Balangan landline refused as a landline.
    Write-Host '== phone numbers: dikjamila-cli.exe import --nomor'
    $office = Join-Path $tmp 'office'
    $null = Invoke-Cli @('user', 'add', '--data-dir', $office, '--name', 'Uji', '--role', 'admin',
                         '--password-stdin', 'uji') -Stdin 'Uji-Paket-2026'
    Assert-Exit 'dikjamila-cli.exe user add'
    $chat = Join-Path $tmp 'chat.txt'
    $utf8 = New-Object System.Text.UTF8Encoding $false  # no BOM (5.1's -Encoding UTF8 writes one)
    [IO.File]::WriteAllText($chat, "01/12/26 09.15 - Aminah: mau buat KTP baru`n", $utf8)
    $text = (Invoke-Cli @('import', '--data-dir', $office, $chat, '--nomor', '0812 3456 7890', '--json')) -join "`n"
    $importExit = $LASTEXITCODE  # as the .sh: the result decides, the exit code is only shown
    if ($text -notmatch '"requests_created": 1(?!\d)') {
        Write-Host $text
        throw "the import with a mobile number failed (exit code $importExit)"
    }
    $text = (Invoke-Cli @('import', '--data-dir', $office, $chat, '--nomor', '0526 21234')) -join "`n"
    if ($LASTEXITCODE -eq 0 -or -not $text.Contains('telepon rumah/kantor')) {
        Write-Host $text
        throw "a landline number was not recognised as one (exit code $LASTEXITCODE)"
    }
    Write-Host 'phone numbers ok (0812 3456 7890 accepted, 0526 21234 refused as a landline)'

    # The kiosk screen (ui/kiosk/) is not part of the self-test: open it on a kiosk station made
    # here and expect it still running after a few seconds (an import error would end it at once).
    Write-Host "== $Bundle\dikjamila.exe --kiosk (offscreen, $KioskSeconds s)"
    $kiosk = Join-Path $tmp 'kiosk'
    New-Item -ItemType Directory -Path $kiosk | Out-Null
    [IO.File]::WriteAllText((Join-Path $kiosk 'settings.toml'), "kiosk_desa = `"Paringin`"`n", $utf8)
    $null = Invoke-Cli @('kiosk', 'pin', '--data-dir', $kiosk, '--pin-stdin') -Stdin '482916'
    Assert-Exit 'dikjamila-cli.exe kiosk pin'
    $kioskProcess = Start-Gui @('--kiosk', '--data-dir', $kiosk) 'kiosk'
    $exited = $kioskProcess.WaitForExit($KioskSeconds * 1000)  # ended by itself: it failed
    $kioskExit = 'none (stopped here)'
    if ($exited) { $kioskExit = $kioskProcess.ExitCode } else { Stop-Process -Id $kioskProcess.Id -Force }
    $null = $kioskProcess.WaitForExit(10000)
    $logs = @(Get-ChildItem -Path (Join-Path $kiosk 'logs\*.log') -ErrorAction SilentlyContinue)
    $traceback = @(Select-String -Path (@(Join-Path $tmp 'kiosk.*.txt') + @($logs | ForEach-Object FullName)) `
        -Pattern 'Traceback' -SimpleMatch -ErrorAction SilentlyContinue)
    if ($exited -or $traceback.Count -gt 0) {
        Show-Output 'kiosk'
        $traceback | ForEach-Object { Write-Host $_.Line }
        throw "the kiosk did not stay up (exit code $kioskExit)"
    }
    Write-Host "kiosk ok (still running after $KioskSeconds s)"

    # Updates: this bundle opened on a data dir the oldest release made (its database at
    # migration 0001) migrates it on open, keeping a copy first, and lists its requests.
    Write-Host '== an old data dir (migration 0001) opened by this bundle'
    $old = Join-Path $tmp 'kantor-lama'
    & $Py -m tests.old_office $old | Out-Null
    Assert-Exit 'python -m tests.old_office'
    $text = (Invoke-Cli @('inbox', '--data-dir', $old, '--json')) -join "`n"
    Assert-Exit 'dikjamila-cli.exe inbox on the old data dir'
    foreach ($number in 'BLG-20261120-0001', 'BLG-20261120-0002') {
        if (-not $text.Contains($number)) { Write-Host $text; throw "$number missing after the upgrade" }
    }
    if (-not (Get-ChildItem -Path (Join-Path $old 'backups\sebelum-migrasi-0001-*') -ErrorAction SilentlyContinue)) {
        throw 'no copy kept before the migration'
    }
    $head = & $Py -c 'from dikjamila.db import migrate; print(migrate.head_revision())'
    Assert-Exit 'reading the newest migration'
    Write-Host "upgrade ok (0001 -> $("$head".Trim()), both requests listed, the old database kept in backups\)"
    Write-Host 'ok'
    Write-Host "bundle ok: $Bundle ($(Format-MB $unpacked), $(Format-MB $packed) as $($label.Split(' ')[0]), $($files.Count) files)"

    # --- the installer --------------------------------------------------------------------
    if ($Installer) {
        $iscc = Find-Iscc
        if (-not $iscc) {
            Write-Warning 'ISCC.exe (Inno Setup 6) not found: no installer built (https://jrsoftware.org/isdl.php)'
        } else {
            Write-Host "== $iscc packaging\dikjamila.iss (AppVersion $version)"
            & $iscc "/DAppVersion=$version" 'packaging\dikjamila.iss'
            Assert-Exit 'ISCC packaging\dikjamila.iss'
            Write-Host "installer: dist\dikjamila-$version-setup.exe"
        }
    }
} finally {
    if ($kioskProcess -and -not $kioskProcess.HasExited) { Stop-Process -Id $kioskProcess.Id -Force }
    $env:QT_QPA_PLATFORM = $savedQpa
    Pop-Location
    # -Force also removes the read-only files the attachment store writes.
    Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
}

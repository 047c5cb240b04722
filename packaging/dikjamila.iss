; Inno Setup 6 (6.3 or newer) script: the Windows installer of Dik Jamila.
;
; Installs the one-folder PyInstaller bundle that build.spec makes (dist\dikjamila\: the
; windowed dikjamila.exe, the console dikjamila-cli.exe the workstation starts the WhatsApp
; worker with, and _internal\) into Program Files, with two Start-menu entries: "Dik Jamila"
; (the workstation) and "Dik Jamila Kios" (the same exe with --kiosk, for a village outpost).
;
; Build: tools\build_bundle.ps1 -Installer (builds and checks the bundle first, then runs
;   iscc /DAppVersion=<version from pyproject.toml> packaging\dikjamila.iss)
; Output: dist\dikjamila-<version>-setup.exe
;
; The office's data is NOT installed or kept here: the program keeps it in the user data dir
; (%LOCALAPPDATA%\Disdukcapil Balangan\DikJamila, platformdirs; or --data-dir / DIKJAMILA_HOME /
; the folder chosen in Pengaturan), see dikjamila/config.py resolve_data_dir. Program Files is
; read-only for the operators, and the program never writes into {app}.
;
; This file is ASCII on purpose (Inno reads a script without a BOM in the ANSI code page).

#ifndef AppVersion
  ; tools\build_bundle.ps1 passes /DAppVersion from pyproject.toml; this default is for a
  ; hand-run iscc and must equal pyproject's version (tests/core/test_windows_packaging.py).
  #define AppVersion "0.1.0"
#endif
#define AppName "Dik Jamila"
#define AppExe "dikjamila.exe"

; Indonesian first (the installer speaks it on every PC, whatever the Windows language), English
; as the fallback. Indonesian.isl is one of Inno Setup's unofficial translations, which a default
; Inno Setup install may lack: it is taken from packaging\ if a copy is put there, else from the
; compiler's Languages folder; without it the installer is English only (and says so here).
#define IndonesianIsl ""
#if FileExists(AddBackslash(SourcePath) + "Indonesian.isl")
  #define IndonesianIsl AddBackslash(SourcePath) + "Indonesian.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Indonesian.isl")
  #define IndonesianIsl "compiler:Languages\Indonesian.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\Indonesian.isl")
  #define IndonesianIsl "compiler:Languages\Unofficial\Indonesian.isl"
#else
  #pragma message "Indonesian.isl not found (put it in packaging\ or Inno Setup's Languages\): English only"
#endif

[Setup]
; The AppId ties upgrades and the uninstall entry together: never change it.
AppId={{30D361CE-1C58-48F7-BC1B-E2E3A20A90C5}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Disdukcapil Kabupaten Balangan
AppComments=Dik Jamila me-WA: layanan adminduk lewat WhatsApp
DefaultDirName={autopf}\Dik Jamila
DisableProgramGroupPage=yes
; Administrator install into Program Files, for every Windows account on the PC: an office PC
; is shared by operators who sign in with their own accounts, none of whom should be able to
; change or replace the program (only the office's IT person, who installs and upgrades it).
; Nothing at run time needs write access here: each user's data lives in their own
; %LOCALAPPDATA%. `/CURRENTUSER` on the command line still allows a per-user test install
; (then {autopf} is %LOCALAPPDATA%\Programs) on a PC where no administrator is at hand.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline
; The bundle is 64-bit Python and Qt (Windows 10 or newer, as PySide6 6.12 needs).
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist
OutputBaseFilename=dikjamila-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
SetupLogging=yes
; An upgrade while the workstation or its WhatsApp worker (dikjamila-cli.exe) runs: close them
; through the Restart Manager (their .pyd modules are DLLs in use, too).
CloseApplications=yes
CloseApplicationsFilter=*.exe,*.dll,*.pyd
; The uninstall entry in Settings > Apps.
Uninstallable=yes
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
LanguageDetectionMethod=none
ShowLanguageDialog=no

[Languages]
#if IndonesianIsl != ""
Name: "id"; MessagesFile: "{#IndonesianIsl}"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundle's libraries whole: a module an older version had and the new
; one dropped must not stay behind in _internal\. (Program files only; no data is there.)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
; The one-folder bundle as build.spec's COLLECT made it (COLLECT name "dikjamila").
Source: "..\dist\dikjamila\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Dik Jamila"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Stasiun kerja petugas Dik Jamila"
Name: "{autoprograms}\Dik Jamila Kios"; Filename: "{app}\{#AppExe}"; Parameters: "--kiosk"; WorkingDir: "{app}"; Comment: "Layar sentuh kios desa untuk warga"
Name: "{autodesktop}\Dik Jamila"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; Started as the user who ran the installer, not the administrator it elevated to: the office
; (or the first-run admin account) is made in that user's data dir.
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,Dik Jamila}"; Flags: nowait postinstall skipifsilent runasoriginaluser

; Uninstalling removes {app} only. The user's data dir (%LOCALAPPDATA%\Disdukcapil Balangan\
; DikJamila, or wherever the office's data was put: its database, attachments, backups, logs)
; is deliberately NOT deleted: there is no [UninstallDelete] or [Code] touching it, so removing
; or reinstalling the program never loses an office's requests and documents.

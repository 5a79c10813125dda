; Inno Setup 6 script: J3490-Desk-Setup-<version>.exe, a per-user installer (no admin rights).
;
;   iscc /DAppVersion=0.1.0 /DAppVersionNumeric=0.1.0.0 packaging\windows\j3490-desk.iss
;
; Run after `pyinstaller packaging\j3490_desk.spec` (dist\j3490-desk\). The workflow
; (.github/workflows/installers.yml) passes the version read from pyproject.toml; nothing here
; hard-codes it. Output: dist\J3490-Desk-Setup-<version>.exe.
;
; The user's data is never touched: the claims database, attachments and backups live in
; %APPDATA%\J3490Desk\J3490Desk (and the window settings in HKCU\Software\J3490Desk), outside
; {app}. The installer does not write there and the uninstaller does not delete there, so an
; uninstall keeps the data, and an upgrade (the same AppId, installed over the old version)
; keeps it too; the new version migrates the database at its first start, after a backup.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z /DAppVersionNumeric=X.Y.Z.0 j3490-desk.iss
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion
#endif
#define AppName "J3490 Desk"
#define AppExe "j3490-desk.exe"
#define BundleDir "..\..\dist\j3490-desk"

[Setup]
; Never change AppId: it is how an upgrade finds the installed version.
AppId={{99C88638-6B8F-57F0-AA4C-CEC75F43D520}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=J3490 Desk
AppCopyright=Copyright (c) the J3490 Desk authors
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductVersion={#AppVersionNumeric}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoDescription={#AppName} setup
; Per user, no administrator rights, no UAC prompt: installs into the user's own folder.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DisableDirPage=auto
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsedUserAreasWarning=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=J3490-Desk-Setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\j3490-desk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; An upgrade closes a running J3490 Desk first (it holds its data folder's lock).
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the program files whole, so no library of the old version lingers.
; Only {app}: the data folder is elsewhere and is never named in this script's deletions.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Unclassified-drug (J3490) claims"
Name: "{autoprograms}\{#AppName} licences"; Filename: "{app}\_internal\THIRD_PARTY_LICENSES.txt"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Files the app may leave in its program folder (none expected); the data folder in
; %APPDATA%\J3490Desk is deliberately not listed: uninstalling keeps the user's claims.
Type: dirifempty; Name: "{app}"

[Messages]
ConfirmUninstall=Remove %1 from this computer?%n%nYour claims, attachments and backups are kept (in the J3490Desk folder of your AppData\Roaming folder). Delete that folder yourself only if you no longer need them.

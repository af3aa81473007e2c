; Inno Setup 6 script: installs the PyInstaller bundle (dist\wrenchbook) for all users.
;
; Build (the Windows workflow does this after `python installer\build.py`):
;   ISCC.exe /DAppVersion=0.1.0 installer\wrenchbook.iss
; Optional: /DBundleDir=<folder of wrenchbook.exe>, /DInstallerDir=<where setup.exe goes>.
;
; User data never lives in the program folder: each Windows user's database, settings, log and
; certificates are in %LOCALAPPDATA%\Wrenchbook (platformdirs' user data folder, see
; desktop\store\database.py), which this installer neither writes nor deletes. Uninstalling
; removes only the program files; an upgrade replaces them in place (same AppId).

#ifndef AppVersion
  #error Give the version: ISCC /DAppVersion=X.Y.Z installer\wrenchbook.iss
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\wrenchbook"
#endif
#ifndef InstallerDir
  #define InstallerDir "..\dist\installer"
#endif
#define AppName "Wrenchbook"
#define AppExe "wrenchbook.exe"

[Setup]
; Never change this GUID: Windows finds an installed Wrenchbook by it, so a new version
; upgrades the old one in place instead of installing beside it.
AppId={{94131886-9214-4AA5-8C6D-D983A3E6C8E7}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per machine, into Program Files (64-bit): one installation serves every user of the PC.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
; A running Wrenchbook holds its files open: close it before replacing them.
CloseApplications=yes
RestartApplications=no
SetupIconFile=wrenchbook.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
OutputDir={#InstallerDir}
OutputBaseFilename=wrenchbook-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
SetupLogging=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade starts from an empty library folder, so no module of the old version lingers
; beside the new one. Only program files: the user data folder is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

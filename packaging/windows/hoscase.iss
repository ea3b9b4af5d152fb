; Inno Setup script: a Windows installer for the one-folder bundle built by packaging/build.sh.
;
; On Windows: build the bundle (packaging\build.sh from Git Bash, or
;   py -m PyInstaller --noconfirm packaging\hoscase.spec), then compile this script with Inno Setup 6:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\hoscase.iss
; The installer is written to dist\installer\hoscase-<version>-setup.exe.
;
; It installs for the current user by default (no administrator rights needed, as on a council laptop),
; adds a Start menu entry, and never touches the database: that lives in the user's AppData folder and
; survives uninstalling and upgrading.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "hoscase"
#define Root "..\.."

[Setup]
AppId={{6B1E8E0A-5D7F-4C47-9B7C-2F3D1B9C4A11}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=hoscase
AppComments=Complaint handling to the Housing Ombudsman's Complaint Handling Code (2024)
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir={#Root}\dist\installer
OutputBaseFilename=hoscase-{#AppVersion}-setup
SetupIconFile={#Root}\resources\icons\hoscase.ico
UninstallDisplayIcon={app}\hoscase.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Root}\dist\hoscase\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\hoscase"; Filename: "{app}\hoscase.exe"
Name: "{group}\Uninstall hoscase"; Filename: "{uninstallexe}"
Name: "{autodesktop}\hoscase"; Filename: "{app}\hoscase.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\hoscase.exe"; Description: "{cm:LaunchProgram,hoscase}"; Flags: nowait postinstall skipifsilent

; Inno Setup 6 script: the Windows installer of Một Cửa Kiosk.
;
; Build on Windows, after the one-folder bundle (see installer/README.md):
;     uv run python installer\build.py        (PyInstaller + kiosk selfcheck)
;     "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" installer\windows\mot-cua-kiosk.iss
; Output: dist\MotCuaKiosk-Setup-<version>.exe
;
; One installer for every PC of the office; the IT officer picks what this PC does:
;   - Máy chủ văn phòng (hub): `kiosk serve` started at boot by the Task Scheduler (account
;     SYSTEM), port 8765 opened in Windows Firewall for the office network only.
;   - Màn hình: kiosk / counter / display / rating / admin shortcuts, started at logon if chosen.
; The office's data lives in %ProgramData%\MotCuaKiosk (KIOSK_DATA_DIR, machine-wide), so the
; hub running as SYSTEM and the screens running as the logged-on user share one folder.
; This script was written and reviewed without a Windows machine: test it on one before use.

#define AppName "Một Cửa Kiosk"
#define AppVersion "0.1.0"
#define Bundle "..\..\dist\mot-cua-kiosk"
#define HubPort "8765"

[Setup]
AppId={{6C1B8F0E-3C8A-4F0B-9A51-2D4C7E9B1A10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Bộ phận Một cửa
DefaultDirName={autopf}\MotCuaKiosk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=MotCuaKiosk-Setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes
UninstallDisplayIcon={app}\kiosk.exe

[Languages]
; Inno Setup ships no Vietnamese translation: the wizard's buttons are in English, our own texts
; (components, pages, messages) are in Vietnamese.
Name: "en"; MessagesFile: "compiler:Default.isl"

[Types]
Name: "hub"; Description: "Máy chủ văn phòng (và màn hình quản trị)"
Name: "onepc"; Description: "Cả văn phòng trên một máy (xã nhỏ)"
Name: "screen"; Description: "Chỉ màn hình (máy lấy số, máy quầy, màn hình hiển thị…)"
Name: "custom"; Description: "Tự chọn"; Flags: iscustom

[Components]
Name: "app"; Description: "Chương trình"; Types: hub onepc screen custom; Flags: fixed
Name: "hub"; Description: "Máy chủ văn phòng (chạy nền khi bật máy)"; Types: hub onepc
Name: "kiosk"; Description: "Máy lấy số (màn hình cảm ứng)"; Types: onepc
Name: "counter"; Description: "Máy quầy (cán bộ tiếp nhận)"; Types: onepc
Name: "display"; Description: "Màn hình hiển thị số thứ tự"; Types: onepc
Name: "rating"; Description: "Màn hình đánh giá mức độ hài lòng"
Name: "admin"; Description: "Màn hình quản trị"; Types: hub onepc

[Tasks]
Name: "autostart"; Description: "Mở màn hình đã chọn khi đăng nhập Windows"; Components: kiosk counter display rating

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\HUONG-DAN-CAI-DAT.md"; DestDir: "{app}"; Flags: ignoreversion

[Dirs]
; Users (the screens) and SYSTEM (the hub) share the office folder.
Name: "{commonappdata}\MotCuaKiosk"; Permissions: users-modify

[Registry]
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: string; ValueName: "KIOSK_DATA_DIR"; ValueData: "{commonappdata}\MotCuaKiosk"; Flags: uninsdeletevalue
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: string; ValueName: "KIOSK_DEVICE_TOKEN"; ValueData: "{code:DeviceToken}"; Flags: uninsdeletevalue; Check: HasDeviceToken

[Icons]
Name: "{group}\Máy lấy số"; Filename: "{app}\kiosk.exe"; Parameters: "run kiosk --hub {code:HubUrl}"; Components: kiosk
Name: "{group}\Máy quầy {code:CounterNumber}"; Filename: "{app}\kiosk.exe"; Parameters: "run counter --hub {code:HubUrl} --counter {code:CounterNumber}"; Components: counter
Name: "{group}\Màn hình hiển thị"; Filename: "{app}\kiosk.exe"; Parameters: "run display --hub {code:HubUrl}"; Components: display
Name: "{group}\Đánh giá quầy {code:CounterNumber}"; Filename: "{app}\kiosk.exe"; Parameters: "run rating --hub {code:HubUrl} --counter {code:CounterNumber}"; Components: rating
Name: "{group}\Quản trị"; Filename: "{app}\kiosk.exe"; Parameters: "run admin --hub {code:HubUrl}"; Components: admin
Name: "{group}\Tự kiểm tra bản cài đặt"; Filename: "{cmd}"; Parameters: "/k ""{app}\kiosk.exe"" selfcheck"
; The IT officer's command line on the hub PC (kiosk staff set …, kiosk backup …); the data in
; ProgramData belongs to the hub's SYSTEM task, so it is opened "Run as administrator".
Name: "{group}\Dòng lệnh Một Cửa Kiosk"; Filename: "{cmd}"; Parameters: "/k kiosk --help"; WorkingDir: "{app}"; Components: hub
Name: "{group}\Hướng dẫn cài đặt"; Filename: "{app}\HUONG-DAN-CAI-DAT.md"
Name: "{commonstartup}\Một Cửa — Máy lấy số"; Filename: "{app}\kiosk.exe"; Parameters: "run kiosk --hub {code:HubUrl}"; Components: kiosk; Tasks: autostart
Name: "{commonstartup}\Một Cửa — Máy quầy"; Filename: "{app}\kiosk.exe"; Parameters: "run counter --hub {code:HubUrl} --counter {code:CounterNumber}"; Components: counter; Tasks: autostart
Name: "{commonstartup}\Một Cửa — Màn hình hiển thị"; Filename: "{app}\kiosk.exe"; Parameters: "run display --hub {code:HubUrl}"; Components: display; Tasks: autostart
Name: "{commonstartup}\Một Cửa — Đánh giá"; Filename: "{app}\kiosk.exe"; Parameters: "run rating --hub {code:HubUrl} --counter {code:CounterNumber}"; Components: rating; Tasks: autostart

[Run]
; Every installation proves itself first (nothing is changed if the bundle is incomplete).
Filename: "{app}\kiosk.exe"; Parameters: "selfcheck"; StatusMsg: "Đang tự kiểm tra bản cài đặt…"; Flags: runhidden waituntilterminated
; The hub: create the office once (an existing database is kept), then start at every boot.
Filename: "{app}\kiosk.exe"; Parameters: "--data-dir ""{commonappdata}\MotCuaKiosk"" init"; StatusMsg: "Đang tạo dữ liệu văn phòng…"; Components: hub; Flags: runhidden waituntilterminated; Check: NoOfficeYet
Filename: "{sys}\schtasks.exe"; Parameters: "/Create /F /TN ""MotCuaKiosk Hub"" /SC ONSTART /RU SYSTEM /RL HIGHEST /TR """"{app}\kiosk.exe"" --data-dir """"{commonappdata}\MotCuaKiosk"""" serve --host 0.0.0.0 --port {#HubPort}"""; Components: hub; Flags: runhidden waituntilterminated
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall add rule name=""MotCuaKiosk Hub"" dir=in action=allow protocol=TCP localport={#HubPort} profile=domain,private"; Components: hub; Flags: runhidden waituntilterminated
Filename: "{sys}\schtasks.exe"; Parameters: "/Run /TN ""MotCuaKiosk Hub"""; Components: hub; Flags: runhidden waituntilterminated

[UninstallRun]
Filename: "{sys}\schtasks.exe"; Parameters: "/End /TN ""MotCuaKiosk Hub"""; Flags: runhidden; RunOnceId: "StopHub"
Filename: "{sys}\schtasks.exe"; Parameters: "/Delete /F /TN ""MotCuaKiosk Hub"""; Flags: runhidden; RunOnceId: "DeleteHub"
Filename: "{sys}\netsh.exe"; Parameters: "advfirewall firewall delete rule name=""MotCuaKiosk Hub"""; Flags: runhidden; RunOnceId: "DeleteFirewall"
; The office's data (%ProgramData%\MotCuaKiosk) is never deleted by the uninstaller.

[Code]
var
  DevicePage: TInputQueryWizardPage;

procedure InitializeWizard;
begin
  DevicePage := CreateInputQueryPage(wpSelectTasks,
    'Kết nối với máy chủ văn phòng',
    'Máy này làm việc với máy chủ văn phòng (hub) qua mạng nội bộ.',
    'Địa chỉ máy chủ: trên chính máy chủ để http://127.0.0.1:{#HubPort}; trên máy khác, ví dụ ' +
    'http://192.168.1.10:{#HubPort}. Mã truy cập của thiết bị: tạo ở màn hình Quản trị → ' +
    'Thiết bị (mỗi máy một mã; có thể để trống và nhập sau). Số quầy: cho máy quầy / đánh giá.');
  DevicePage.Add('Địa chỉ máy chủ văn phòng:', False);
  DevicePage.Add('Mã truy cập của thiết bị:', False);
  DevicePage.Add('Số quầy:', False);
  DevicePage.Values[0] := 'http://127.0.0.1:{#HubPort}';
  DevicePage.Values[2] := '1';
end;

function ShouldSkipPage(PageID: Integer): Boolean;
begin
  // The hub-only installation needs no device page (its admin token is written at first start).
  Result := (PageID = DevicePage.ID) and not (WizardIsComponentSelected('kiosk') or
    WizardIsComponentSelected('counter') or WizardIsComponentSelected('display') or
    WizardIsComponentSelected('rating') or WizardIsComponentSelected('admin'));
end;

function NextButtonClick(CurPageID: Integer): Boolean;
var
  Number: Integer;
begin
  Result := True;
  if CurPageID = DevicePage.ID then
  begin
    if (Pos('http://', DevicePage.Values[0]) <> 1) and (Pos('https://', DevicePage.Values[0]) <> 1) then
    begin
      MsgBox('Địa chỉ máy chủ phải bắt đầu bằng http:// hoặc https://', mbError, MB_OK);
      Result := False;
    end;
    Number := StrToIntDef(DevicePage.Values[2], 0);
    if (Number < 1) or (Number > 999) then
    begin
      MsgBox('Số quầy phải là một số từ 1 đến 999.', mbError, MB_OK);
      Result := False;
    end;
  end;
end;

function HubUrl(Param: String): String;
begin
  Result := Trim(DevicePage.Values[0]);
end;

function DeviceToken(Param: String): String;
begin
  Result := Trim(DevicePage.Values[1]);
end;

function HasDeviceToken: Boolean;
begin
  Result := Trim(DevicePage.Values[1]) <> '';
end;

function CounterNumber(Param: String): String;
begin
  Result := IntToStr(StrToIntDef(DevicePage.Values[2], 1));
end;

function NoOfficeYet: Boolean;
begin
  Result := not FileExists(ExpandConstant('{commonappdata}\MotCuaKiosk\office.db'));
end;
